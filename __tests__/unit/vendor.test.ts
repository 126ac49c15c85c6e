// The bundle's stand-ins for @actions/exec and @actions/http-client must behave like the real
// modules when something does call them (they only defer loading): each call is made through the
// stand-in and through the real module, and the two must agree.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import * as realExec from '../../node_modules/@actions/exec/lib/exec.js';
import * as realAuth from '../../node_modules/@actions/http-client/lib/auth.js';
import * as realHttp from '../../node_modules/@actions/http-client/lib/index.js';
import { exec, getExecOutput } from '../../src/vendor/lazy-exec.ts';
import { BearerCredentialHandler, HttpClient } from '../../src/vendor/lazy-http-client.ts';
import { appJwt, startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { generateAppKey } from '../support/runner.ts';

describe('lazy @actions/exec', () => {
  it.each([
    ['a command that succeeds', 'echo', ['hello']],
    ['a command that fails, with stderr', 'sh', ['-c', 'echo out; echo err >&2; exit 3']]
  ])('%s: the same result as the real module', async (_name, command, args) => {
    const options = { silent: true, ignoreReturnCode: true };
    const lazy = await getExecOutput(command, args, options);
    expect(lazy).toEqual(await realExec.getExecOutput(command, args, options));
    expect(lazy.stdout.length).toBeGreaterThan(0);
  });

  it('a failing command rejects the same way without ignoreReturnCode', async () => {
    const args = ['-c', 'exit 4'];
    const lazy = await exec('sh', args, { silent: true }).catch((e: Error) => e.message);
    expect(lazy).toBe(await realExec.exec('sh', args, { silent: true }).catch((e: Error) => e.message));
    expect(lazy).toMatch(/failed with exit code 4/);
  });
});

describe('lazy @actions/http-client', () => {
  let gh: FakeGitHub;
  let token = '';
  beforeAll(async () => {
    const key = generateAppKey('pkcs1').privateKeyPem;
    gh = await startFakeGitHub({ app: { privateKey: key } });
    // an installation token from the fake, for a bearer the fake accepts
    const minted = await fetch(`${gh.url}/app/installations/1001/access_tokens`, { method: 'POST', headers: { authorization: `Bearer ${appJwt(key, gh.app.id, Date.now())}` } });
    token = ((await minted.json()) as { token: string }).token;
  });
  afterAll(() => gh.close());

  // how @actions/core's OIDC client uses it: a user agent, a bearer handler, retry options, getJson
  const lazyClient = (bearer = token) => new HttpClient('actions/oidc-client', [new BearerCredentialHandler(bearer)], { allowRetries: true, maxRetries: 1 });
  const realClient = (bearer = token) => new realHttp.HttpClient('actions/oidc-client', [new realAuth.BearerCredentialHandler(bearer)], { allowRetries: true, maxRetries: 1 });
  const sent = () => {
    const request = gh.requests.at(-1);
    return { path: request?.path, authorization: request?.headers['authorization'], agent: request?.headers['user-agent'], accept: request?.headers['accept'] };
  };

  it('a JSON answer: the same status and result, the same request sent', async () => {
    const lazy = await lazyClient().getJson<{ total_count: number }>(`${gh.url}/installation/repositories`);
    const lazySent = sent();
    const real = await realClient().getJson<{ total_count: number }>(`${gh.url}/installation/repositories`);
    expect({ statusCode: lazy.statusCode, result: lazy.result }).toEqual({ statusCode: real.statusCode, result: real.result });
    expect(lazy).toMatchObject({ statusCode: 200, result: { total_count: 3 } });
    expect(lazySent).toEqual(sent());
    expect(lazySent).toMatchObject({ authorization: `Bearer ${token}`, agent: expect.stringContaining('actions/oidc-client') });
  });

  it('an error answer: the same rejection', async () => {
    const failure = (e: { statusCode?: number; message?: string; result?: unknown }) => ({ statusCode: e.statusCode, message: e.message, result: e.result });
    const lazy = await lazyClient('not-a-token').getJson(`${gh.url}/installation/repositories`).then(() => undefined, failure);
    const real = await realClient('not-a-token').getJson(`${gh.url}/installation/repositories`).then(() => undefined, failure);
    expect(lazy).toEqual(real);
    expect(lazy?.statusCode).toBe(401);
  });
});
