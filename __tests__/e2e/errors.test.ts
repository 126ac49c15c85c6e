// What the user reads when the action fails: one ::error that says what is wrong and how to fix
// it, exit code 1, no stack trace (unless RUNNER_DEBUG=1), no secret; bad inputs fail before any
// request; and post revokes a token whenever main minted one, failing or not.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serverError, statusFault } from '../../fake-github/server.ts';
import { findSecretLeaks, generateAppKey, maskedLog, type StepResult } from '../support/runner.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();

const STACK_LINE = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;

/** stdout as the runner shows it, before masking (::add-mask:: lines hidden), plus stderr. */
const shown = (step: StepResult) => step.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n') + step.stderr;

function expectNoLeaks(step: StepResult, extra: string[] = []): void {
  const secrets = [s.key, ...extra, ...s.gh.tokens.keys(), ...s.gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '')];
  expect(findSecretLeaks(maskedLog(step), secrets)).toEqual([]);
  expect(findSecretLeaks(step.stderr, secrets)).toEqual([]);
  expect(findSecretLeaks(step.summary, secrets)).toEqual([]);
}

/** Exit code 1, exactly one ::error (returned), nothing else annotated, no stack, no secret. */
function expectOneError(main: StepResult, extraSecrets: string[] = []): string {
  expect(main.code).toBe(1);
  expect(errors(main)).toHaveLength(1);
  expect(warnings(main)).toEqual([]);
  expect(shown(main)).not.toMatch(STACK_LINE);
  expect(main.commands.filter((c) => c.command === 'debug')).toEqual([]);
  expectNoLeaks(main, extraSecrets);
  return errors(main)[0] ?? '';
}

/**
 * Every line of the key's body was masked, before the error was printed: masking comes first, so
 * not even a message about the key's own form could show it.
 */
function expectKeyMasked(main: StepResult, key: string): void {
  const body = key.split(/\r?\n/).map((line) => line.trim()).filter((line) => line && !/^-----(BEGIN|END) /.test(line));
  for (const line of body) expect(main.masks).toContain(line);
  const firstError = main.commands.find((c) => c.command === 'error')?.line ?? Infinity;
  for (const mask of main.commands.filter((c) => c.command === 'add-mask')) expect(mask.line).toBeLessThan(firstError);
}

/** Post after a main that minted nothing: one info line, no annotation, no request. */
function expectNothingToRevoke(post: StepResult): void {
  expect(post.code).toBe(0);
  expect(post.commands.filter((c) => c.command !== 'add-mask')).toEqual([]);
  expect(post.stdout.split('\n').filter((l) => l.trim() !== '')).toEqual(['No token to revoke: the main step did not create one.']);
  expect(post.stderr).toBe('');
  expect(s.gh.requests.filter((r) => r.method === 'DELETE')).toEqual([]);
  expectNoLeaks(post);
}

const otherKey = generateAppKey('pkcs8').privateKeyPem; // a valid RSA key GitHub does not know

// Each message itself is tested where it is made (__tests__/unit); these show, once per kind of
// failure, what the runner sees: one annotation, no stack, no secret, nothing for post to revoke.
describe('GitHub says no', () => {
  it.each([
    ['the app is not installed on owner/repo', { owner: 'nobody', repositories: 'thing' }, ['GET /repos/nobody/thing/installation'], [/not installed on nobody\/thing/, /Install the app on 'nobody' and give it access to 'thing'/]],
    [
      'a key GitHub does not recognise (401)',
      { 'private-key': otherKey },
      ['GET /repos/octo-org/app-token/installation'],
      [/rejected the app's credentials \(401: A JSON web token could not be decoded\)/, /'client-id'/, /'private-key' belongs to/, /has not been deleted/]
    ]
  ] as [string, Record<string, string>, string[], RegExp[]][])('%s', async (_name, inputs, requests, patterns) => {
    const { main, post } = await s.run(inputs);
    const message = expectOneError(main, [otherKey]);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expect(routes(s.gh)).toEqual(requests);
    expect(main.outputs['token']).toBeUndefined();
    expectNothingToRevoke(post);
  });
});

describe('inputs that fail before any request', () => {
  it.each([
    ['empty client-id', { 'client-id': '' }, [/Input 'client-id' is empty/, /forks/, /Dependabot/]],
    ['whitespace-only private-key', { 'private-key': ' \n ' }, [/Input 'private-key' is empty/, /forks/, /Dependabot/]],
    ['an undeclared permission input', { 'permission-pull_requests': 'write' }, [/Input 'permission-pull_requests' is not a permission/, /Did you mean 'permission-pull-requests'\?/]],
    ['a bad skip-token-revoke value', { 'skip-token-revoke': 'yes' }, [/Input 'skip-token-revoke' is 'yes'; use true or false/]]
  ] as [string, Record<string, string>, RegExp[]][])('%s', async (_name, inputs, patterns) => {
    const { main, post } = await s.run(inputs);
    const message = expectOneError(main);
    for (const pattern of patterns) expect(message).toMatch(pattern);
    expectKeyMasked(main, inputs['private-key'] ?? s.key);
    expect(s.gh.requests).toEqual([]);
    expect(main.state).toEqual({});
    expectNothingToRevoke(post);
  });
});

describe('unusable private keys', () => {
  const rsa = s.key.trim().split('\n');
  const fromTool = (make: (dir: string) => string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'keys-'));
    try {
      return make(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  const openssh = fromTool((dir) => {
    execFileSync('ssh-keygen', ['-q', '-t', 'rsa', '-b', '2048', '-N', '', '-f', join(dir, 'id')]);
    return readFileSync(join(dir, 'id'), 'utf8');
  });
  const certificate = fromTool((dir) => {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=app', '-days', '1'], { stdio: 'ignore' });
    return readFileSync(join(dir, 'c'), 'utf8');
  });
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

  it.each([
    ['truncated (no END line)', rsa.slice(0, 12).join('\n'), /looks truncated/],
    ['missing body lines', [...rsa.slice(0, 6), ...rsa.slice(-2)].join('\n'), /could not be read as a PEM private key: its body looks truncated or altered/],
    ['without BEGIN/END lines', rsa.slice(1, -1).join('\n'), /has no "-----BEGIN \.\.\. PRIVATE KEY-----" line/],
    ['an OpenSSH key', openssh, /is an OpenSSH key; GitHub Apps use PEM keys/],
    ['encrypted (PKCS#8)', pair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(), /is encrypted with a passphrase/],
    ['encrypted (traditional PEM)', pair.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString(), /is encrypted with a passphrase/],
    ['a public key', pair.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /is a public key; it must be the app's private key/],
    ['a certificate', certificate, /is a certificate, not a private key/],
    ['RSA 1024', generateAppKey('pkcs1', 1024).privateKeyPem, /is an RSA key of 1024 bits; GitHub requires at least 2048/],
    ['EC (SEC1)', ec.export({ type: 'sec1', format: 'pem' }).toString(), /is not an RSA key; GitHub App keys are RSA/],
    ['EC (PKCS#8)', ec.export({ type: 'pkcs8', format: 'pem' }).toString(), /is not an RSA key \(it is ec\)/]
  ])('%s: its own message, naming private-key, echoing no key line', async (_name, key, pattern) => {
    const { main, post } = await s.run({ 'private-key': key });
    const message = expectOneError(main, [key]);
    expectKeyMasked(main, key);
    expect(message).toMatch(/^Input 'private-key' /);
    expect(message).toMatch(pattern);
    expect(message).toContain('Paste the whole .pem file');
    // not even the unmasked output quotes the key: masking is a second line of defence
    expect(findSecretLeaks(shown(main) + shown(post), [key])).toEqual([]);
    expect(s.gh.requests).toEqual([]);
    expectNothingToRevoke(post);
  });
});

describe('RUNNER_DEBUG=1', () => {
  it.each([
    ['an input error', { 'permission-workflows': 'read' }, undefined],
    ['an API error', {}, 'serverError'],
    ['a key error', { 'private-key': 'not-a-key-but-a-secret-value' }, undefined]
  ] as [string, Record<string, string>, string | undefined][])('%s: still one ::error, and a ::debug with the stack', async (_name, inputs, fault) => {
    if (fault) s.gh.faults.push(serverError(500, { times: Infinity }));
    const main = await s.main(inputs, { RUNNER_DEBUG: '1' });
    expect(main.code).toBe(1);
    expect(errors(main)).toHaveLength(1);
    const debug = main.commands.filter((c) => c.command === 'debug').map((c) => c.message);
    expect(debug.filter((m) => STACK_LINE.test(m))).toHaveLength(1);
    expect(debug.find((m) => STACK_LINE.test(m))).toContain(errors(main)[0]?.slice(0, 40));
    expectNoLeaks(main, ['not-a-key-but-a-secret-value']);
  });

  it('without it, an unexpected answer still shows no stack', async () => {
    s.gh.faults.push(statusFault(201, { body: 'not json at all', headers: { 'content-type': 'text/plain' }, match: { method: 'POST' } }));
    const { main } = await s.run();
    const message = expectOneError(main);
    expect(message.length).toBeGreaterThan(10);
  });
});

describe('post after main failed having minted a token', () => {
  const BOT = { method: 'GET', path: '/users/my-app[bot]' };
  it.each([
    ['500 on the bot lookup, every time', serverError(500, { match: BOT, times: Infinity }), 4, /GET \/users\/my-app\[bot\] failed: 500 Server Error \(gave up after 4 attempts\)/],
    // 404 from a just-minted token is waited out (replication lag) for 4 waits, then given up on
    ['404 on the bot lookup, every time', statusFault(404, { body: { message: 'Not Found' }, match: BOT, times: Infinity }), 5, /GET \/users\/my-app\[bot\] failed: 404 Not Found \(the new token still failed [\d.]+ s after it was minted, after 4 waits\)/]
  ])('%s: main fails, post still revokes the token', async (_name, fault, lookups, detail) => {
    s.gh.faults.push(fault);
    const { main, post } = await s.run({ 'bot-identity': 'true' });
    const message = expectOneError(main);
    expect(message).toMatch(/^Could not look up the app's bot user 'my-app\[bot\]'/);
    expect(message).toMatch(detail);
    expect(message).toContain('the token will still be revoked');
    expect(s.gh.requests.filter((r) => r.path === BOT.path)).toHaveLength(lookups);
    const token = main.outputs['token'] ?? '';
    expect(token).toMatch(/^ghs_/);
    expect(main.state['token']).toBe(token);
    expect(main.outputs['bot-name']).toBeUndefined();
    const revocations = s.gh.requests.filter((r) => r.method === 'DELETE');
    expect(revocations.map((r) => [r.path, r.status, r.auth.token === token])).toEqual([['/installation/token', 204, true]]);
    expect(s.gh.tokens.get(token)?.revoked).toBe(true);
    expect(post.code).toBe(0);
    expect([...errors(post), ...warnings(post)]).toEqual([]);
    expect(post.stdout).toContain('Token revoked.');
    expectNoLeaks(post);
  });
});
