// Property-based tests of everything the action reads from its inputs, in process: readSettings
// (every input, as the runner passes it) and parsePrivateKey (mutated real keys).
//
// Deterministic by default: a fixed seed and FUZZ_RUNS runs per property (default 1000).
// A larger or different run:
//   FUZZ_RUNS=20000 FUZZ_SEED=42 NODE_OPTIONS="--experimental-vm-modules --no-warnings" npx jest __tests__/unit/inputs.fuzz.test.ts
// On failure fast-check prints the seed, the path and the shrunk counterexample; re-run with that
// FUZZ_SEED (and the same FUZZ_RUNS) to reproduce it.
import { afterAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { ActionError } from '../../src/errors.js';
import { MAX_REPOSITORIES, readSettings, type Settings } from '../../src/inputs.js';
import { PERMISSIONS } from '../../src/permissions.generated.js';
import { shorten } from '../../src/untrusted.js';
import { parsePrivateKey } from '../../src/private-key.js';
import { generateAppKey, inputEnvName, ROOT } from '../support/runner.ts';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** jest's per-test limit, scaled with the number of runs */
const TIME_LIMIT = 30_000 + RUNS * 25;
const params = { seed: SEED, numRuns: RUNS };
/** FUZZ_STATS=1 prints how the generated cases were distributed over outcomes */
const STATS = process.env.FUZZ_STATS === '1';
const outcomes = new Map<string, number>();
function count(outcome: string): void {
  if (STATS) outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
}
afterAll(() => {
  if (STATS) console.log([...outcomes].sort((a, b) => b[1] - a[1]).map(([o, n]) => `${String(n).padStart(6)}  ${o}`).join('\n'));
});

// ---------------------------------------------------------------------------------------------
// The inputs, as action.yml declares them, and the env the runner builds from them.

const ACTION = YAML.parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, { default?: unknown } | null> };
const DECLARED = Object.keys(ACTION.inputs);
const DECLARED_ENV = new Set(DECLARED.map(inputEnvName));
const SPEC_BY_INPUT = new Map(PERMISSIONS.map((spec) => [spec.input, spec]));
const SPEC_BY_NAME = new Map(PERMISSIONS.map((spec) => [spec.name, spec]));

type Env = Record<string, string>;

/** INPUT_<NAME> for every declared input (its default when not given), then the undeclared ones. */
function runnerEnv(inputs: Record<string, string>, undeclared: Record<string, string>, github: Record<string, string | undefined>): Env {
  const env: Env = {};
  for (const [name, value] of Object.entries(github)) if (value !== undefined) env[name] = value;
  for (const name of DECLARED) {
    const declaredDefault = ACTION.inputs[name]?.default;
    env[inputEnvName(name)] =
      inputs[name] ??
      (declaredDefault === undefined || declaredDefault === null
        ? ''
        : String(declaredDefault).replace(/\$\{\{\s*github\.(\w+)\s*\}\}/g, (_, key: string) => env[`GITHUB_${key.toUpperCase()}`] ?? ''));
  }
  for (const [name, value] of Object.entries(undeclared)) env[inputEnvName(name)] = value;
  return env;
}

// ---------------------------------------------------------------------------------------------
// Keys.

const PKCS1 = generateAppKey('pkcs1').privateKeyPem;
const PKCS8 = generateAppKey('pkcs8').privateKeyPem;
const RSA_1024 = generateAppKey('pkcs1', 1024).privateKeyPem;
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const ed = generateKeyPairSync('ed25519');
const rsaPair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const OTHER_KEYS: Record<string, string> = {
  'rsa-1024': RSA_1024,
  'ec-sec1': ec.privateKey.export({ type: 'sec1', format: 'pem' }).toString(),
  'ec-pkcs8': ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'ed25519-pkcs8': ed.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  'rsa-public-pkcs1': rsaPair.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
  'rsa-public-spki': rsaPair.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  'rsa-encrypted-pkcs8': rsaPair.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString(),
  'rsa-encrypted-pkcs1': rsaPair.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'secret' }).toString(),
  openssh: `-----BEGIN OPENSSH PRIVATE KEY-----\n${Buffer.from('openssh-key-v1\0' + 'x'.repeat(300)).toString('base64').replace(/(.{70})/g, '$1\n')}\n-----END OPENSSH PRIVATE KEY-----\n`
};
/** every body line of every real key we use: no message may ever quote one */
const REAL_KEY_LINES = new Set([PKCS1, PKCS8, ...Object.values(OTHER_KEYS)].flatMap(keyLines));

/**
 * The lines of a key worth protecting, with real or literal newlines: 8+ characters, and not
 * (part of) a BEGIN/END line, which is no secret (base64 bodies have no '-----').
 */
function keyLines(text: string): string[] {
  return text
    .split(/\r?\n|\\n/)
    .map((line) => line.trim())
    .filter((line) => line.length >= 8 && !line.includes('-----'));
}

// ---------------------------------------------------------------------------------------------
// Hostile text.

const PIECES = [
  // whitespace of every kind
  ' ', '\t', '\n', '\r\n', '\r', '\u000b', '\u000c', '\u00a0', '\u3000', '\u2028', '\u2029', '\u0085', '\ufeff',
  // zero-width and bidi controls
  '\u200b', '\u200c', '\u200d', '\u2060', '\u200e', '\u200f', '\u202a', '\u202b', '\u202e', '\u2066', '\u2069', '\u061c',
  // right-to-left scripts, combining marks, homoglyphs, full-width
  'مرحبا', 'שלום', 'e\u0301', 'оctо-оrg', 'ｏｃｔｏ', 'İı', 'ß', 'Ⅻ',
  // emoji (astral, ZWJ sequences, flags, variation selectors)
  '😀', '👩‍👩‍👧', '🏳️‍🌈', '🇺🇦', '✔️',
  // control characters and terminal escapes
  '\u0000', '\u0001', '\u0007', '\u0008', '\u001b[31m', '\u001b[2K', '\u007f', '\u009b',
  // workflow-command and shell lookalikes
  '::error::boom', '::add-mask::x', '%0A', '%25', '${{ github.token }}', '`id`', '$(id)', "'", '"', '\\', '\\n', '/', ',', '..', '.', '-', '_',
  // plausible fragments
  'octo-org', 'app-token', 'Iv23li', '123456', 'true', 'false', 'read', 'write', 'admin', 'https://', 'http://', 'api.github.com'
];
const piece = fc.constantFrom(...PIECES);
const ws = fc.array(fc.constantFrom(' ', '\t', '\n', '\r\n', '\u00a0', '\u3000', '\ufeff', '\u2028'), { maxLength: 4 }).map((a) => a.join(''));

/** Arbitrary text: printable graphemes, any code point, or hostile pieces, mixed. */
const junk = fc
  .array(fc.oneof(piece, fc.string({ unit: 'grapheme', maxLength: 8 }), fc.string({ unit: 'binary', maxLength: 8 }), fc.string({ maxLength: 8 })), {
    maxLength: 8
  })
  .map((parts) => parts.join(''));

/** 10k–100k characters of one repeated piece (or junk), for inputs that must not flood the log. */
const oversized = fc
  .record({ length: fc.integer({ min: 10_000, max: 100_000 }), unit: fc.oneof(piece, junk.filter((s) => s.length > 0), fc.constantFrom('a', 'repo,', 'r\n', 'Iv23li')) })
  .map(({ length, unit }) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length).toWellFormed());

/** `value` with whitespace around it, as YAML block scalars and careless pasting leave it. */
const padded = (value: fc.Arbitrary<string>) => fc.tuple(ws, value, ws).map(([a, v, b]) => a + v + b);

/** Anything at all: hostile text, blank, oversized, or a key pasted into the wrong input. */
const hostile = fc.oneof(
  { arbitrary: junk, weight: 4 },
  { arbitrary: fc.constantFrom('', ' ', '\n', '\t \n'), weight: 1 },
  { arbitrary: oversized, weight: 1 },
  { arbitrary: fc.constantFrom(PKCS1, PKCS1.trim().replace(/\n/g, '\\n'), Buffer.from(PKCS1).toString('base64')), weight: 1 }
);

/** A valid value as given, padded with whitespace, or with a hostile piece inside it. */
function variants(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: valid, weight: 6 },
    { arbitrary: padded(valid), weight: 2 },
    { arbitrary: fc.tuple(valid, piece, valid).map(([a, p, b]) => a + p + b), weight: 1 }
  );
}

const pemForms = fc.constantFrom(PKCS1, PKCS8, PKCS1.trim().replace(/\n/g, '\\n'), `"${PKCS8.trim()}"`, Buffer.from(PKCS1).toString('base64'));
const accountName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_-]{0,20}$/);
const validRepoName = fc.oneof(fc.stringMatching(/^[A-Za-z0-9._-]{1,24}$/).filter((n) => n !== '.' && n !== '..'), fc.constantFrom('app-token', 'API', 'web', '.github', 'a..b', '-', '_'));
const repoName = fc.oneof({ arbitrary: validRepoName, weight: 8 }, { arbitrary: fc.constantFrom('.', '..', 'a b', '', ' ', 'a\rb', 'ré'), weight: 1 });
const separators = fc.array(fc.constantFrom(',', '\n', ', ', ' ,\n', '\r\n', ',,', '\n\n', ',\u00a0', ' , '), { minLength: 1, maxLength: 4 });
const joinEntries = (entries: string[], seps: string[]) => entries.map((e, i) => (i === 0 ? e : `${seps[i % seps.length]}${e}`)).join('');

/** A repositories input that should be accepted with `owner` (or, when undefined, any one owner prefix). */
function validRepositories(owner: string | undefined): fc.Arbitrary<string> {
  const prefix = owner === undefined ? fc.constantFrom('octo-org/', 'Octo-Org/', 'OCTO-ORG/') : fc.constantFrom(`${owner}/`, `${owner.toUpperCase()}/`, `${owner.toLowerCase()}/`);
  return fc
    .record({
      entries: fc.array(fc.tuple(fc.oneof({ arbitrary: fc.constant(''), weight: 3 }, { arbitrary: prefix, weight: 1 }), validRepoName), { minLength: 1, maxLength: 12 }),
      seps: separators
    })
    .map(({ entries, seps }) => joinEntries(entries.map(([p, n]) => p + n), seps));
}

/** A repositories input of any kind: names, owner/names (same, other or invalid owner), junk. */
const wildRepositories = fc
  .record({
    entries: fc.array(
      fc.oneof(
        { arbitrary: repoName, weight: 6 },
        { arbitrary: fc.tuple(fc.constantFrom('octo-org', 'Octo-Org', 'OCTO-ORG'), repoName).map(([o, r]) => `${o}/${r}`), weight: 3 },
        { arbitrary: fc.tuple(accountName, repoName).map(([o, r]) => `${o}/${r}`), weight: 1 },
        { arbitrary: fc.constantFrom('.', '..', 'a/b/c', '/a', 'a/', 'a b', 'octo-org/', '', ' ', 'bad owner/x', '-x/y'), weight: 1 },
        { arbitrary: junk, weight: 1 }
      ),
      { maxLength: 12 }
    ),
    seps: separators
  })
  .map(({ entries, seps }) => joinEntries(entries, seps));

/** Around the 500-repository limit: unique names, with case-insensitive duplicates mixed in. */
const manyRepositories = fc
  .record({ count: fc.integer({ min: 490, max: 510 }), duplicates: fc.integer({ min: 0, max: 20 }), prefix: fc.constantFrom('', 'octo-org/') })
  .map(({ count, duplicates, prefix }) => {
    const names = Array.from({ length: count }, (_, i) => `${prefix}repo-${i}`);
    for (let i = 0; i < duplicates; i++) names.push(`${prefix}REPO-${(i * 37) % count}`);
    return names.join(count % 2 === 0 ? ',' : '\n');
  });

const validBoolean = fc.constantFrom('true', 'True', 'TRUE', 'false', 'False', 'FALSE', '');
const wildBoolean = fc.oneof(validBoolean, fc.constantFrom('yes', 'no', 'on', 'off', '1', '0', 'tRUE', 'ＴＲＵＥ', 't rue', 'true\nfalse'));

const httpUrl = fc.webUrl({ validSchemes: ['https', 'http'] });
const validApiUrl = fc.oneof(
  httpUrl,
  httpUrl.map((u) => `${u}///`),
  fc.constantFrom('https://api.github.com', 'https://ghe.example.com/api/v3/', 'http://127.0.0.1:8080/api/v3', 'https://[::1]:8443/', 'HTTPS://API.GITHUB.COM/', 'https://ghé.example.com/api/v3'),
  // plain-looking URLs with an empty query or fragment
  fc.constantFrom('https://ghe.example.com/api/v3?', 'https://ghe.example.com/api/v3#', 'https://ghe.example.com/?#', 'https://ghe.example.com/api/v3/?')
);
const wildApiUrl = fc.oneof(
  validApiUrl,
  fc.webUrl({ validSchemes: ['https', 'http'], withQueryParameters: true, withFragments: true }),
  fc.constantFrom(
    'https://ghe.example.com/?x=1',
    'https://user:pw@ghe.example.com',
    'https://:@ghe.example.com',
    'ftp://ghe.example.com',
    'javascript:alert(1)',
    'file:///etc/passwd',
    'data:text/plain,hi',
    'ghe.example.com/api/v3',
    '/api/v3',
    'https://',
    'https://ex ample.com',
    'https://exa\nmple.com',
    'https://ghe.example.com:99999'
  )
);

const validInstallationId = fc.oneof(fc.integer({ min: 1, max: 2 ** 40 }).map(String), fc.constantFrom('007', '999999999999999'));
const wildInstallationId = fc.oneof(validInstallationId, fc.constantFrom('0', '00', '-1', '1.5', '1e3', '0x10', '9007199254740993', '1000000000000000', '١٢٣', '+1'));

/** A level GitHub accepts for the permission, in any case and with whitespace. */
const validLevel = (input: string) =>
  fc.tuple(fc.constantFrom(...(SPEC_BY_INPUT.get(input)?.levels ?? ['read'])), fc.constantFrom('lower', 'upper', 'title', 'padded')).map(([level, style]) =>
    style === 'upper' ? level.toUpperCase() : style === 'title' ? level[0]?.toUpperCase() + level.slice(1) : style === 'padded' ? ` ${level}\n` : level
  );
const wildLevel = fc.constantFrom('read', 'write', 'admin', 'none', 'Read', ' WRITE ', 'r', 'readwrite', 'read,write', 'wrıte', '');

/** Undeclared permission-like inputs (typos the runner would pass on) and unrelated undeclared ones. */
const undeclaredName = fc.oneof(
  fc.constantFrom(...PERMISSIONS.map((p) => p.input)).chain((input) =>
    fc.constantFrom(input.replace(/-/g, '_'), input.replace('permission-', 'permissions-'), `${input}s`, input.slice(0, -1), input.replace('permission-', 'permission_'), `${input} `)
  ),
  fc.constantFrom('permission', 'permissions', 'permission-', 'permission-zzzzzzzzzzzzzzzzzzzz', 'token', 'app_id', 'privatekey'),
  fc.tuple(fc.constantFrom('permission-', 'permission', 'perm-', ''), fc.string({ unit: 'grapheme', maxLength: 30 })).map(([a, b]) => a + b.replace(/[=\0]/g, ''))
);

const validEnterprise = fc.oneof(fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,20}[a-z0-9])?$/), fc.constantFrom('octo-enterprise', 'e', '1-2-3'));
const wildEnterprise = fc.oneof(validEnterprise, fc.constantFrom('Octo-Enterprise', '-octo', 'octo-', 'octo_ent', 'octo/ent', 'a'.repeat(101), 'ënterprise'));

/** Which installation and repositories, in each of the ways the inputs can say it. */
const scope: fc.Arbitrary<Record<string, string>> = fc.oneof(
  fc.constant({}),
  accountName.map((owner) => ({ owner })),
  accountName.chain((owner) => validRepositories(owner).map((repositories) => ({ owner, repositories }))),
  validRepositories(undefined).map((repositories) => ({ repositories })),
  manyRepositories.map((repositories) => ({ owner: 'octo-org', repositories })),
  validInstallationId.map((id) => ({ 'installation-id': id })),
  validEnterprise.map((enterprise) => ({ enterprise })),
  fc.tuple(validInstallationId, validRepositories(undefined)).map(([id, repositories]) => ({ 'installation-id': id, repositories }))
);

/** A value for `input` that may well be wrong: its own wild generator or anything hostile. */
function wildValue(input: string): fc.Arbitrary<string> {
  const own: Record<string, fc.Arbitrary<string>> = {
    'client-id': fc.stringMatching(/^[A-Za-z0-9._-]{90,110}$/),
    'app-id': fc.constantFrom('0', '12 34', '١٢٣'),
    'private-key': fc.constantFrom('', ' \n '),
    owner: fc.oneof(accountName, fc.constantFrom('bad owner', '-octo', 'octo_org', 'a'.repeat(101), 'octo-org/app-token')),
    repositories: fc.oneof(wildRepositories, manyRepositories),
    'installation-id': wildInstallationId,
    enterprise: wildEnterprise,
    'github-api-url': wildApiUrl
  };
  const mine = own[input] ?? (input.startsWith('permission-') ? wildLevel : wildBoolean);
  return fc.oneof({ arbitrary: variants(mine), weight: 2 }, { arbitrary: hostile, weight: 1 });
}

interface Case {
  inputs: Record<string, string>;
  undeclared: Record<string, string>;
  github: Record<string, string | undefined>;
}

const CORRUPTIBLE = [...DECLARED.filter((name) => !name.startsWith('permission-')), 'permission-contents', 'permission-workflows', 'permission-single-file'];

/**
 * A valid set of inputs (a third of cases stay that way), then up to three inputs replaced by
 * wild or hostile values, sometimes undeclared inputs, and the runner's GITHUB_* variables.
 */
const caseArb: fc.Arbitrary<Case> = fc
  .record({
    credentials: fc.oneof(
      fc.record({ 'client-id': variants(fc.oneof(fc.stringMatching(/^Iv23li[A-Za-z0-9]{10}$/), fc.stringMatching(/^[A-Za-z0-9._-]{1,100}$/))) }),
      fc.record({ 'client-id': fc.constantFrom('', ' '), 'app-id': variants(fc.integer({ min: 1, max: 99_999_999 }).map(String)) }),
      fc.record({ 'client-id': fc.stringMatching(/^Iv23li[A-Za-z0-9]{10}$/), 'app-id': fc.integer({ min: 1 }).map(String) })
    ),
    key: fc.oneof({ arbitrary: pemForms, weight: 4 }, { arbitrary: padded(pemForms), weight: 1 }, { arbitrary: junk.filter((k) => k.trim() !== ''), weight: 1 }),
    scope,
    permissions: fc
      .uniqueArray(fc.constantFrom(...PERMISSIONS.map((p) => p.input)), { maxLength: 6 })
      .chain((inputs) => fc.tuple(...inputs.map((input) => validLevel(input).map((level) => [input, level] as const)))),
    flags: fc.record(
      { 'skip-token-revoke': validBoolean, 'bot-identity': validBoolean, 'configure-git': validBoolean, summary: validBoolean, 'github-api-url': fc.oneof(validApiUrl, fc.constant('')) },
      { requiredKeys: [] }
    ),
    corruptions: fc.oneof(
      { arbitrary: fc.constant([] as [string, string][]), weight: 1 },
      { arbitrary: fc.array(fc.constantFrom(...CORRUPTIBLE).chain((input) => wildValue(input).map((value) => [input, value] as [string, string])), { minLength: 1, maxLength: 3 }), weight: 2 }
    ),
    undeclared: fc.oneof(
      { arbitrary: fc.constant({}), weight: 6 },
      { arbitrary: fc.dictionary(undeclaredName, fc.oneof(wildLevel, junk), { minKeys: 1, maxKeys: 2 }), weight: 1 }
    ),
    github: fc.record({
      GITHUB_REPOSITORY: fc.constantFrom('octo-org/app-token', 'octo-org/app-token', 'octo-org/app-token', '', undefined),
      GITHUB_REPOSITORY_OWNER: fc.constantFrom('octo-org', 'octo-org', 'octo-org', '', undefined),
      GITHUB_API_URL: fc.oneof({ arbitrary: fc.constantFrom('https://api.github.com', 'https://ghe.example.com/api/v3/', '', undefined), weight: 4 }, { arbitrary: wildApiUrl, weight: 1 })
    })
  })
  .map(({ credentials, key, scope, permissions, flags, corruptions, undeclared, github }) => ({
    inputs: { ...credentials, 'private-key': key, ...scope, ...Object.fromEntries(permissions), ...flags, ...Object.fromEntries(corruptions) },
    // a name the runner would map onto a declared input is not undeclared
    undeclared: Object.fromEntries(Object.entries(undeclared).filter(([name]) => !DECLARED_ENV.has(inputEnvName(name)))),
    github
  }));

// ---------------------------------------------------------------------------------------------
// The properties' checks.

const ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;
/** line breaks, control characters, and invisible or reordering format characters (zero-width, bidi) */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u;
const MAX_MESSAGE = 1000;

/** Why `settings` breaks an invariant, or [] when it holds them all. */
function settingsProblems(s: Settings, env: Env): string[] {
  const problems: string[] = [];
  const input = (name: string) => (env[inputEnvName(name)] ?? '').trim();
  const expectThat = (ok: boolean, what: string) => ok || problems.push(what);

  expectThat(REPOSITORY.test(s.issuer), `issuer ${JSON.stringify(s.issuer)} is not a client ID / app ID`);
  expectThat(s.issuer === (input('client-id') || input('app-id')), 'issuer is not client-id, else app-id');
  expectThat(s.privateKey !== '' && s.privateKey === input('private-key'), 'privateKey is not the trimmed input');

  const entries = (name: string) => input(name).split(/[,\n]/).some((e) => e.trim());
  if (s.enterprise !== undefined) {
    expectThat(/^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/.test(s.enterprise) && s.enterprise === input('enterprise'), `enterprise ${JSON.stringify(s.enterprise)} is not the slug given`);
    expectThat(s.owner === undefined && s.repositories === undefined && s.installationId === undefined, 'enterprise together with an owner, repositories or an installation ID');
    for (const name of ['owner', 'repositories', 'repository-ids', 'installation-id']) expectThat(!entries(name), `enterprise together with a '${name}' input`);
  } else if (s.installationId !== undefined) {
    expectThat(Number.isSafeInteger(s.installationId) && s.installationId > 0, `installationId ${s.installationId} is not a positive integer`);
    expectThat(input('owner') === '', "installationId together with an 'owner' input");
  } else {
    expectThat(s.owner !== undefined && ACCOUNT.test(s.owner), `owner ${JSON.stringify(s.owner)} is not an account name`);
  }
  if (s.owner !== undefined) expectThat(ACCOUNT.test(s.owner), `owner ${JSON.stringify(s.owner)} is not an account name`);

  if (s.repositories !== undefined) {
    const lower = s.repositories.map((r) => r.toLowerCase());
    expectThat(s.repositories.length >= 1 && s.repositories.length <= MAX_REPOSITORIES, `${s.repositories.length} repositories`);
    expectThat(new Set(lower).size === lower.length, 'repositories are not unique case-insensitively');
    for (const r of s.repositories) expectThat(REPOSITORY.test(r) && r !== '.' && r !== '..', `repository ${JSON.stringify(r)} is not a valid name`);
    // nothing asked for is dropped, nothing else is added
    const asked = input('repositories')
      .split(/[,\n]/)
      .map((e) => e.trim())
      .filter(Boolean)
      .map((e) => (e.split('/').at(-1) ?? '').toLowerCase());
    if (asked.length > 0) expectThat(JSON.stringify([...new Set(asked)].sort()) === JSON.stringify([...new Set(lower)].sort()), 'repositories differ from the input');
  }

  if (s.permissions !== undefined) {
    expectThat(Object.keys(s.permissions).length > 0, 'permissions is an empty object');
    for (const [name, level] of Object.entries(s.permissions)) {
      const spec = SPEC_BY_NAME.get(name);
      expectThat(spec !== undefined && spec.levels.includes(level), `permission ${name}: ${level} is not allowed`);
    }
  }
  for (const spec of PERMISSIONS) {
    const value = input(spec.input).toLowerCase();
    expectThat((s.permissions?.[spec.name] ?? '') === value, `${spec.input} '${value}' was not passed on as given`);
  }

  let url: URL | undefined;
  try {
    url = new URL(s.apiUrl);
  } catch {
    problems.push(`apiUrl ${JSON.stringify(s.apiUrl)} is not a URL`);
  }
  if (url) {
    expectThat(url.protocol === 'https:' || url.protocol === 'http:', `apiUrl ${s.apiUrl} is not http(s)`);
    expectThat(!url.username && !url.password, `apiUrl ${s.apiUrl} has credentials`);
    expectThat(!/[?#]/.test(s.apiUrl), `apiUrl ${s.apiUrl} has a query or fragment: request paths appended to it would not be paths`);
  }
  expectThat(!s.apiUrl.endsWith('/'), `apiUrl ${s.apiUrl} ends with a slash`);

  for (const flag of ['botIdentity', 'configureGit', 'summary'] as const) expectThat(typeof s[flag] === 'boolean', `${flag} is not a boolean`);
  expectThat(!s.configureGit || s.botIdentity, 'configure-git without bot-identity');
  return problems;
}

/** readSettings' error message for `env` ('' when it succeeds). */
function messageFor(env: Env): string {
  try {
    readSettings(env);
    return '';
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** Why an error thrown for `env` is not a good one, or [] when it is. */
function errorProblems(error: unknown, env: Env, undeclaredNames: string[]): string[] {
  if (!(error instanceof ActionError) || error.name !== 'ActionError') {
    return [`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of an ActionError`];
  }
  const problems: string[] = [];
  const message = error.message;
  const named = [...DECLARED, ...undeclaredNames.map((n) => shorten(n.toLowerCase()))].some((name) => message.includes(`'${name}'`));
  if (!named && !message.includes('GITHUB_REPOSITORY')) problems.push('names no input');
  const unprintable = UNPRINTABLE.exec(message);
  if (unprintable) problems.push(`has unprintable character U+${unprintable[0].codePointAt(0)?.toString(16).padStart(4, '0')} (not one paragraph)`);
  if (!message.isWellFormed()) problems.push('has a lone surrogate (an astral character cut in half)');
  if (message.length > MAX_MESSAGE) problems.push(`is ${message.length} characters long`);
  // A line of a real key must never be quoted. A line of a random 'key' counts as quoted only
  // when it comes from the key: the same message for another key does not have it (it is not
  // the message's own text, nor another input's value).
  const key = env[inputEnvName('private-key')] ?? '';
  const control = messageFor({ ...env, [inputEnvName('private-key')]: 'another-key' });
  for (const line of keyLines(key)) {
    if (message.includes(line) && (REAL_KEY_LINES.has(line) || !control.includes(line))) problems.push(`quotes the private key line '${line}'`);
  }
  for (const line of REAL_KEY_LINES) if (message.includes(line)) problems.push(`quotes a real key line '${line}'`);
  return problems;
}

function describeFailure(problems: string[], detail: string): Error {
  return new Error(`${problems.join('; ')}\n${detail}`);
}

// ---------------------------------------------------------------------------------------------

describe('readSettings under random inputs', () => {
  it(
    'returns Settings that hold every invariant, or throws one bounded, one-paragraph ActionError naming the input',
    () => {
      fc.assert(
        fc.property(caseArb, ({ inputs, undeclared, github }) => {
          const env = runnerEnv(inputs, undeclared, github);
          let settings: Settings;
          try {
            settings = readSettings(env);
          } catch (error) {
            count(`readSettings: error about ${/^Inputs? ('[^']*')/.exec((error as Error).message)?.[1] ?? (error as Error).message.slice(0, 40)}`);
            const problems = errorProblems(error, env, Object.keys(undeclared));
            if (problems.length) throw describeFailure(problems, `message: ${JSON.stringify((error as Error).message)}`);
            return;
          }
          count(`readSettings: Settings (${settings.repositories ? `${settings.repositories.length > 1 ? 'several' : 'one'} repositories` : 'all repositories'}${settings.permissions ? ', permissions' : ''})`);
          const problems = settingsProblems(settings, env);
          if (problems.length) throw describeFailure(problems, `settings: ${JSON.stringify({ ...settings, privateKey: '(key)' }).slice(0, 2000)}`);
        }),
        params
      );
    },
    TIME_LIMIT
  );

  it(
    'is the same whatever whitespace surrounds each input (the runner passes it verbatim)',
    () => {
      fc.assert(
        fc.property(caseArb, fc.array(fc.tuple(ws, ws), { minLength: DECLARED.length, maxLength: DECLARED.length }), ({ inputs, undeclared, github }, pads) => {
          const outcome = (env: Env) => {
            try {
              return { settings: readSettings(env) };
            } catch (error) {
              return { error: (error as Error).message };
            }
          };
          const plain = outcome(runnerEnv(inputs, undeclared, github));
          const paddedInputs = Object.fromEntries(
            DECLARED.filter((name) => inputs[name] !== undefined).map((name, i) => [name, `${pads[i]?.[0] ?? ''}${inputs[name]}${pads[i]?.[1] ?? ''}`])
          );
          const withPadding = outcome(runnerEnv({ ...inputs, ...paddedInputs }, undeclared, github));
          expect(withPadding).toEqual(plain);
        }),
        { ...params, numRuns: Math.max(1, Math.floor(RUNS / 4)) }
      );
    },
    TIME_LIMIT
  );
});

// ---------------------------------------------------------------------------------------------
// parsePrivateKey under mutations of real keys.

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-line'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'rewrap'; width: number }
  | { kind: 'quote'; open: string; close: string }
  | { kind: 'literal-newlines'; as: string }
  | { kind: 'crlf' }
  | { kind: 'base64'; width: number }
  | { kind: 'indent'; with: string }
  | { kind: 'pad'; before: string; after: string }
  | { kind: 'relabel'; label: string; which: 'begin' | 'end' | 'both' }
  | { kind: 'duplicate' }
  | { kind: 'case'; upper: boolean }
  | { kind: 'repeat'; times: number };

const fraction = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fraction }),
  fc.record({ kind: fc.constant('delete-line' as const), at: fraction }),
  fc.record({ kind: fc.constant('flip' as const), at: fraction, char: fc.oneof(fc.constantFrom('A', '/', '+', '=', '-', ' ', '\n', '\\', '"', '\0'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.oneof(junk, fc.constantFrom('\n', '\nProc-Type: 4,ENCRYPTED\n', '\n-----END RSA PRIVATE KEY-----\n', '\\n', '\n\n')) }),
  fc.record({ kind: fc.constant('rewrap' as const), width: fc.integer({ min: 1, max: 200 }) }),
  fc.record({ kind: fc.constant('quote' as const), open: fc.constantFrom('"', "'", '`', ''), close: fc.constantFrom('"', "'", '`', '') }),
  fc.record({ kind: fc.constant('literal-newlines' as const), as: fc.constantFrom('\\n', '\\r\\n', '\\r', '\\\\n') }),
  fc.constant({ kind: 'crlf' as const }),
  fc.record({ kind: fc.constant('base64' as const), width: fc.constantFrom(0, 60, 64, 76) }),
  fc.record({ kind: fc.constant('indent' as const), with: fc.constantFrom('  ', '\t', '    ', '\u00a0') }),
  fc.record({ kind: fc.constant('pad' as const), before: ws, after: ws }),
  fc.record({
    kind: fc.constant('relabel' as const),
    label: fc.oneof(
      fc.constantFrom('PRIVATE KEY', 'RSA PRIVATE KEY', 'RSA PUBLIC KEY', 'PUBLIC KEY', 'EC PRIVATE KEY', 'DSA PRIVATE KEY', 'OPENSSH PRIVATE KEY', 'ENCRYPTED PRIVATE KEY', 'CERTIFICATE', 'rsa private key', ''),
      fc.stringMatching(/^[A-Z ]{1,40}$/),
      fc.integer({ min: 100, max: 5000 }).map((n) => 'A'.repeat(n))
    ),
    which: fc.constantFrom('begin' as const, 'end' as const, 'both' as const)
  }),
  fc.constant({ kind: 'duplicate' as const }),
  fc.record({ kind: fc.constant('case' as const), upper: fc.boolean() }),
  fc.record({ kind: fc.constant('repeat' as const), times: fc.integer({ min: 2, max: 60 }) })
);

function at(text: string, f: number): number {
  return Math.floor(f * (text.length + 1));
}

function mutate(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, at(text, m.at));
    case 'delete-line': {
      const lines = text.split('\n');
      lines.splice(Math.floor(m.at * lines.length), 1);
      return lines.join('\n');
    }
    case 'flip': {
      const i = Math.min(at(text, m.at), Math.max(0, text.length - 1));
      return text.slice(0, i) + m.char + text.slice(i + 1);
    }
    case 'insert': {
      const i = at(text, m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'rewrap':
      return text.replace(/(-----\n)([\s\S]*?)(\n-----)/g, (_, a: string, body: string, b: string) => a + body.replace(/\s+/g, '').replace(new RegExp(`(.{${m.width}})`, 'g'), '$1\n').replace(/\n$/, '') + b);
    case 'quote':
      return m.open + text + m.close;
    case 'literal-newlines':
      return text.replace(/\n/g, m.as);
    case 'crlf':
      return text.replace(/\n/g, '\r\n');
    case 'base64': {
      const encoded = Buffer.from(text).toString('base64');
      return m.width ? encoded.replace(new RegExp(`(.{${m.width}})`, 'g'), '$1\n') : encoded;
    }
    case 'indent':
      return text.split('\n').map((line) => m.with + line).join('\n');
    case 'pad':
      return m.before + text + m.after;
    case 'relabel': {
      let out = text;
      if (m.which !== 'end') out = out.replace(/-----BEGIN [^-]*-----/, `-----BEGIN ${m.label}-----`);
      if (m.which !== 'begin') out = out.replace(/-----END [^-]*-----/, `-----END ${m.label}-----`);
      return out;
    }
    case 'duplicate':
      return `${text}\n${text}`;
    case 'case':
      return m.upper ? text.toUpperCase() : text.toLowerCase();
    case 'repeat':
      return text.repeat(m.times);
  }
}

const keyCase = fc.record({
  base: fc.oneof({ arbitrary: fc.constantFrom('pkcs1', 'pkcs8'), weight: 4 }, { arbitrary: fc.constantFrom(...Object.keys(OTHER_KEYS)), weight: 2 }),
  mutations: fc.array(mutation, { maxLength: 4 })
});

function baseKey(name: string): string {
  return name === 'pkcs1' ? PKCS1 : name === 'pkcs8' ? PKCS8 : (OTHER_KEYS[name] ?? '');
}

describe('parsePrivateKey under mutated keys', () => {
  it(
    'returns an RSA key of 2048+ bits, or throws an ActionError about private-key that quotes no key line',
    () => {
      fc.assert(
        fc.property(keyCase, ({ base, mutations }) => {
          const original = baseKey(base);
          const raw = mutations.reduce(mutate, original);
          let key;
          try {
            key = parsePrivateKey(raw);
          } catch (error) {
            const problems: string[] = [];
            if (!(error instanceof ActionError) || error.name !== 'ActionError') {
              throw describeFailure(['not an ActionError'], `${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
            }
            const message = error.message;
            count(`parsePrivateKey: ${message.slice(20, 60)}`);
            if (!message.startsWith("Input 'private-key' ")) problems.push("does not start with Input 'private-key'");
            if (UNPRINTABLE.test(message)) problems.push('is not one printable paragraph');
            if (message.length > MAX_MESSAGE) problems.push(`is ${message.length} characters long`);
            for (const line of new Set([...keyLines(raw), ...keyLines(original)])) if (message.includes(line)) problems.push(`quotes key line '${line}'`);
            if (problems.length) throw describeFailure(problems, `message: ${JSON.stringify(message.slice(0, 3000))}`);
            return;
          }
          count('parsePrivateKey: an RSA key');
          expect(key.type).toBe('private');
          expect(key.asymmetricKeyType).toBe('rsa');
          expect(key.asymmetricKeyDetails?.modulusLength).toBeGreaterThanOrEqual(2048);
        }),
        params
      );
    },
    TIME_LIMIT
  );

  it(
    'reads the key exactly whatever benign wrapping it went through',
    () => {
      const benign = fc.oneof(
        fc.record({ kind: fc.constant('quote' as const), open: fc.constantFrom('"', "'"), close: fc.constant('') }).map((m) => ({ ...m, close: m.open })),
        fc.record({ kind: fc.constant('literal-newlines' as const), as: fc.constantFrom('\\n', '\\r\\n') }),
        fc.constant({ kind: 'crlf' as const }),
        fc.record({ kind: fc.constant('indent' as const), with: fc.constantFrom('  ', '\t') }),
        fc.record({ kind: fc.constant('pad' as const), before: ws, after: ws })
      );
      fc.assert(
        fc.property(
          fc.constantFrom('pkcs1', 'pkcs8'),
          fc.uniqueArray(benign, { maxLength: 3, selector: (m) => m.kind }),
          fc.option(fc.record({ kind: fc.constant('base64' as const), width: fc.constantFrom(0, 64, 76) }), { nil: undefined }),
          (base, mutations, encode) => {
            const original = baseKey(base);
            let raw = mutations.filter((m) => m.kind !== 'quote').reduce(mutate, original);
            if (encode) raw = mutate(raw.replace(/\\r\\n|\\n/g, '\n'), encode);
            const quote = mutations.find((m) => m.kind === 'quote'); // one layer: what a secret store or YAML adds
            if (quote) raw = mutate(raw.trim(), quote);
            const key = parsePrivateKey(raw);
            expect(key.export({ type: 'pkcs8', format: 'pem' }).toString()).toBe(parsePrivateKey(original).export({ type: 'pkcs8', format: 'pem' }).toString());
          }
        ),
        { ...params, numRuns: Math.max(1, Math.floor(RUNS / 4)) }
      );
    },
    TIME_LIMIT
  );
});
