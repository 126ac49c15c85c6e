import { describe, expect, it } from '@jest/globals';
import { readSettings, type Settings } from '../../src/inputs.js';
import { thrownMessage } from '../support/thrown.ts';

const KEY = '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----';

/** env as the runner builds it: INPUT_<NAME> for each input. */
function env(inputs: Record<string, string>, extra: Record<string, string> = {}): Record<string, string> {
  const all: Record<string, string> = { 'client-id': 'Iv23liabc', 'private-key': KEY, ...inputs };
  const out: Record<string, string> = { GITHUB_REPOSITORY: 'octo-org/app-token', GITHUB_REPOSITORY_OWNER: 'octo-org', GITHUB_API_URL: 'https://api.github.com', ...extra };
  for (const [name, value] of Object.entries(all)) out[`INPUT_${name.toUpperCase()}`] = value;
  return out;
}
const settings = (inputs: Record<string, string>, extra?: Record<string, string>): Settings => readSettings(env(inputs, extra));
const failure = (inputs: Record<string, string>, extra?: Record<string, string>): string => thrownMessage(() => settings(inputs, extra), 'readSettings');

describe('which installation and repositories', () => {
  it('defaults to the current repository, limited to it', () => {
    expect(settings({})).toMatchObject({ owner: 'octo-org', repositories: ['app-token'], installationId: undefined });
  });
  it('owner only: every repository of the installation', () => {
    expect(settings({ owner: 'someone' })).toMatchObject({ owner: 'someone', repositories: undefined });
  });
  it('repositories, comma or newline separated, blanks and whitespace ignored, duplicates removed', () => {
    expect(settings({ owner: 'o', repositories: ' a, b ,\n\n c\n,,A ' }).repositories).toEqual(['a', 'b', 'c']);
  });
  it('repositories without owner use the workflow repository owner', () => {
    expect(settings({ repositories: 'x' })).toMatchObject({ owner: 'octo-org', repositories: ['x'] });
  });
  it('accepts owner/repo entries of the same owner, case-insensitively, and infers the owner from them', () => {
    expect(settings({ owner: 'Octo-Org', repositories: 'octo-org/a, b' }).repositories).toEqual(['a', 'b']);
    expect(settings({ repositories: 'other/a\nother/b' })).toMatchObject({ owner: 'other', repositories: ['a', 'b'] });
  });
  it('refuses entries of another owner and explains the matrix', () => {
    expect(failure({ owner: 'octo-org', repositories: 'a, other/b' })).toMatch(/'other\/b', but the token is for 'octo-org': one installation token cannot span two accounts.*matrix/);
  });
  it('refuses invalid repository names and owners', () => {
    expect(failure({ repositories: 'a b' })).toMatch(/Input 'repositories' has 'a b', which is not a valid repository name/);
    expect(failure({ repositories: '..' })).toMatch(/not a valid repository name/);
    expect(failure({ repositories: 'octo-org/api/extra' })).toMatch(/Input 'repositories' has 'octo-org\/api\/extra', which is not a repository name/);
    expect(failure({ repositories: 'a/b/c' })).toMatch(/use 'name' or 'owner\/name'/);
    expect(failure({ owner: 'bad owner' })).toMatch(/Input 'owner' \('bad owner'\) is not a valid GitHub account name/);
  });
  it('refuses more than 500 repositories before any request', () => {
    const many = Array.from({ length: 501 }, (_, i) => `r${i}`).join(',');
    expect(failure({ owner: 'o', repositories: many })).toMatch(/names 501 repositories; GitHub limits a token to 500/);
    expect(settings({ owner: 'o', repositories: Array.from({ length: 500 }, (_, i) => `r${i}`).join(',') }).repositories).toHaveLength(500);
  });
  it('enterprise: no owner, no repositories, no installation ID; empty separators are not a conflict', () => {
    expect(settings({ enterprise: 'octo-enterprise' })).toMatchObject({ enterprise: 'octo-enterprise', owner: undefined, repositories: undefined, installationId: undefined });
    expect(settings({ enterprise: 'e', repositories: ' ,\n ', 'repository-ids': ',' })).toMatchObject({ enterprise: 'e', repositories: undefined });
    expect(settings({}).enterprise).toBeUndefined();
    expect(failure({ enterprise: 'e', 'repository-ids': '7' })).toMatch(/^Inputs 'enterprise' and 'repository-ids' cannot be used together/);
    expect(failure({ enterprise: 'a'.repeat(101) })).toMatch(/is not an enterprise slug/);
    expect(settings({ enterprise: 'a'.repeat(100) }).enterprise).toHaveLength(100);
  });
  it('installation-id skips the owner, and conflicts with it', () => {
    expect(settings({ 'installation-id': '42' })).toMatchObject({ installationId: 42, owner: undefined, repositories: undefined });
    expect(settings({ 'installation-id': '42', repositories: 'a' })).toMatchObject({ installationId: 42, repositories: ['a'] });
    expect(failure({ 'installation-id': '42', owner: 'o' })).toMatch(/'installation-id' and 'owner' cannot be used together/);
    expect(failure({ 'installation-id': 'abc' })).toMatch(/'installation-id' \('abc'\) must be a positive whole number/);
    expect(failure({ 'installation-id': '0' })).toMatch(/positive whole number/);
  });
  it('needs GITHUB_REPOSITORY when nothing else says where', () => {
    expect(failure({}, { GITHUB_REPOSITORY: '' })).toMatch(/GITHUB_REPOSITORY is not set/);
  });
});

describe('credentials', () => {
  it('client-id wins over app-id; app-id alone works', () => {
    expect(settings({ 'app-id': '123' }).issuer).toBe('Iv23liabc');
    expect(settings({ 'client-id': '', 'app-id': '123' }).issuer).toBe('123');
  });
  it('names the empty input and mentions forks and Dependabot', () => {
    expect(failure({ 'client-id': '' })).toMatch(/Input 'client-id' is empty \(and so is 'app-id'\).*forks.*Dependabot/);
    expect(failure({ 'private-key': '  ' })).toMatch(/Input 'private-key' is empty.*forks.*Dependabot/);
  });
  it('refuses a client ID with spaces or other characters', () => {
    expect(failure({ 'client-id': 'Iv23 li' })).toMatch(/Input 'client-id' \('Iv23 li'\) does not look like/);
    expect(failure({ 'client-id': '', 'app-id': '12\u00e94' })).toMatch(/Input 'app-id'/);
  });
});

describe('booleans and the API URL', () => {
  it.each([['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false], ['', false]])(
    'configure-git %p → %p',
    (value, expected) => {
      expect(settings({ 'configure-git': value }).configureGit).toBe(expected);
    }
  );
  it.each(['yes', '1', 'on', 'tru'])('refuses skip-token-revoke %p', (value) => {
    expect(failure({ 'skip-token-revoke': value })).toMatch(new RegExp(`Input 'skip-token-revoke' is '${value}'; use true or false`));
  });
  it('summary defaults to true; configure-git implies bot-identity', () => {
    expect(settings({})).toMatchObject({ summary: true, botIdentity: false, configureGit: false });
    expect(settings({ summary: 'false', 'configure-git': 'true' })).toMatchObject({ summary: false, botIdentity: true, configureGit: true });
  });
  it('strips trailing slashes from github-api-url and falls back to GITHUB_API_URL', () => {
    expect(settings({ 'github-api-url': 'https://ghe.example.com/api/v3/' }).apiUrl).toBe('https://ghe.example.com/api/v3');
    expect(settings({}, { GITHUB_API_URL: 'https://api.github.com' }).apiUrl).toBe('https://api.github.com');
  });
  it.each(['ghe.example.com/api/v3', 'ftp://ghe.example.com', '/api/v3', 'https://user:pw@ghe.example.com'])('refuses github-api-url %p', (value) => {
    expect(failure({ 'github-api-url': value })).toMatch(/Input 'github-api-url'/);
  });
});

describe('repository-ids', () => {
  it('parses comma- or newline-separated IDs, without duplicates', () => {
    expect(settings({ owner: 'o', 'repository-ids': ' 12,\n34\n\n12, ' })).toMatchObject({ owner: 'o', repositories: undefined, repositoryIds: [12, 34] });
  });
  it('alone: the workflow repository owner, not the current repository', () => {
    expect(settings({ 'repository-ids': '12' })).toMatchObject({ owner: 'octo-org', repositories: undefined, repositoryIds: [12] });
  });
  it('with repositories and with installation-id', () => {
    expect(settings({ repositories: 'a', 'repository-ids': '12' })).toMatchObject({ owner: 'octo-org', repositories: ['a'], repositoryIds: [12] });
    expect(settings({ 'installation-id': '5', 'repository-ids': '12' })).toMatchObject({ owner: undefined, repositories: undefined, repositoryIds: [12] });
  });
  it('empty is undefined', () => {
    expect(settings({ 'repository-ids': ' \n ' }).repositoryIds).toBeUndefined();
  });
  it('refuses a bad entry, naming it', () => {
    expect(failure({ 'repository-ids': '12,x1' })).toMatch(/^Input 'repository-ids' has 'x1', which is not a repository ID/);
  });
});

describe('app-jwt', () => {
  const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const jwt = (iss: unknown = 'Iv23liabc') => `${b64({ alg: 'RS256' })}.${b64({ iat: now - 60, exp: now + 540, iss })}.c2ln`;
  it('replaces private-key, and client-id is optional', () => {
    expect(settings({ 'client-id': '', 'private-key': '', 'app-jwt': jwt() })).toMatchObject({ issuer: 'Iv23liabc', privateKey: '', appJwt: jwt() });
    expect(settings({ 'private-key': '', 'app-jwt': jwt() }).issuer).toBe('Iv23liabc');
  });
  it('checks against the given clock', () => {
    expect(() => readSettings(env({ 'private-key': '', 'app-jwt': jwt() }), (now + 600) * 1000)).toThrow(/^Input 'app-jwt' expired at /);
  });
  it('refuses a client-id other than its iss, and a key as well', () => {
    expect(failure({ 'private-key': '', 'app-jwt': jwt('Iv23liother') })).toMatch(/^Input 'client-id' is 'Iv23liabc', but the 'iss' claim of 'app-jwt' is 'Iv23liother'/);
    expect(failure({ 'app-jwt': jwt() })).toMatch(/^Inputs 'private-key' and 'app-jwt' cannot be used together/);
  });
  it('verify-token is false by default', () => {
    expect(settings({}).verifyToken).toBe(false);
    expect(settings({ 'verify-token': 'true' }).verifyToken).toBe(true);
  });
});
