// The bundle's stand-ins for @actions/exec and @actions/http-client must behave like the real
// modules when something does call them (they only defer loading).
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { getExecOutput } from '../../src/vendor/lazy-exec.ts';
import { BearerCredentialHandler, HttpClient } from '../../src/vendor/lazy-http-client.ts';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.ts';
import { generateAppKey } from '../support/runner.ts';

describe('lazy @actions/exec', () => {
  it('runs a command through the real module', async () => {
    const result = await getExecOutput('echo', ['hello'], { silent: true });
    expect(result).toMatchObject({ exitCode: 0, stdout: 'hello\n' });
  });
});

describe('lazy @actions/http-client', () => {
  let gh: FakeGitHub;
  beforeAll(async () => {
    gh = await startFakeGitHub({ app: { privateKey: generateAppKey('pkcs1').privateKeyPem } });
  });
  afterAll(() => gh.close());

  it('sends getJson with the bearer handler through the real client', async () => {
    const issued = await fetch(`${gh.url}/users/octo-org`);
    expect(issued.status).toBe(200);
    const client = new HttpClient('test-agent', [new BearerCredentialHandler('not-a-jwt')]);
    const reply = await client.getJson<{ message: string }>(`${gh.url}/app`).catch((e: { statusCode: number }) => e);
    expect((reply as { statusCode: number }).statusCode).toBe(401);
    const request = gh.requests.at(-1);
    expect(request?.headers['authorization']).toBe('Bearer not-a-jwt');
    expect(request?.headers['user-agent']).toBe('test-agent');
  });
});
