// Property-based end-to-end test: the built action, run as the runner runs it (main, then post
// with the state main saved), with random inputs, random faults queued on the fake GitHub API
// (4xx/5xx with GitHub-style and other bodies, rate limits, connection resets, hangs, slow
// answers, now and then a 2xx/3xx whose body is not GitHub's, and the review's hostile server:
// GitHub's answers with workflow commands in every name, echoed Authorization headers in bodies
// and in deprecation headers, huge messages; and the second review's: a Date header years ahead,
// '##[' legacy commands, a secret echoed where a cut would leave most of it, oversized slugs and
// repository lists, Markdown links and images, an unusable rate-limit reset, answers dribbled
// out slowly) and random RUNNER_DEBUG.
// Whatever happens, main must end in time with either a token and no error or exactly one error
// and no token, never crash, never print a secret, never let server text become a workflow
// command; post must revoke the token (or warn that it could not) and never fail. Also: no JWT
// signed for a time more than 15 minutes from the runner's, no '##[' in a log, no 20-character
// piece of a secret anywhere, every output and the summary under 64 KiB, no link or image in
// the summary, and each step ends by its deadline (APP_TOKEN_DEADLINE_MS, 3 s here).
//
// A new seed every run (printed first), so CI explores; FUZZ_RUNS runs (default 25, about 10 s).
// To replay a failure, or for a larger run:
//   FUZZ_SEED=<printed seed> FUZZ_RUNS=200 NODE_OPTIONS="--experimental-vm-modules --no-warnings" npx jest __tests__/e2e/fuzz.test.ts
// On failure fast-check prints the seed, the path and the counterexample; re-run with that
// FUZZ_SEED and FUZZ_RUNS to reproduce it. Shrinking is off by default (each run spawns Node
// twice); FUZZ_SHRINK=1 turns it on. FUZZ_STATS=1 prints how the runs ended (and each error).
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import {
  connectionReset,
  decorated,
  delay,
  hang,
  rateLimited,
  secondaryRateLimited,
  serverError,
  statusFault,
  tooManyRequests,
  type Decorate,
  type Fault,
  type FaultMatch
} from '../../fake-github/server.ts';
import { generateAppKey, runStep, type StepResult } from '../support/runner.ts';
import { errors, useFakeGitHub, warnings } from '../support/scenario.ts';

const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const SHRINK = process.env.FUZZ_SHRINK === '1';
/** per step; the worst legitimate run (every attempt of every request hanging) needs a few seconds */
const STEP_TIMEOUT_MS = 15_000;
/** each step's own deadline in these runs; a step must end soon after it */
const DEADLINE_MS = 3_000;

const s = useFakeGitHub();

// ---------------------------------------------------------------------------------------------
// Inputs. Symbolic where they depend on the fake (started in beforeAll) or on the key, so a
// counterexample stays readable; resolved at the start of each run.

type KeyForm = 'pem' | 'literal-n' | 'quoted' | 'base64' | 'crlf' | 'indented' | 'other-app' | 'truncated' | 'line-deleted' | 'flipped' | 'public' | 'junk';

const OTHER_KEY = generateAppKey('pkcs8').privateKeyPem;

function keyValue(form: KeyForm, key: string): string {
  const lines = key.trim().split('\n');
  switch (form) {
    case 'pem':
      return key;
    case 'literal-n':
      return key.trim().replace(/\n/g, '\\n');
    case 'quoted':
      return `"${key.trim()}"`;
    case 'base64':
      return Buffer.from(key).toString('base64');
    case 'crlf':
      return key.replace(/\n/g, '\r\n');
    case 'indented':
      return lines.map((line) => `  ${line}`).join('\n');
    case 'other-app':
      return OTHER_KEY;
    case 'truncated':
      return key.slice(0, 700);
    case 'line-deleted':
      return [...lines.slice(0, 6), ...lines.slice(7)].join('\n');
    case 'flipped': {
      const i = 200;
      return key.slice(0, i) + (key[i] === 'A' ? 'B' : 'A') + key.slice(i + 1);
    }
    case 'public':
      return generateAppKey('pkcs1').publicKeyPem;
    case 'junk':
      return Buffer.from(key.slice(100, 160)).toString('hex');
  }
}

const PIECES = ['\n', '\r\n', '\t', '\u200b', '\u202e', 'مرحبا', '😀', '👩‍👩‍👧', '\u0001', '\u001b[31m', '::error::boom', '%0A', "'", '"', ',', '/', '..', 'true', 'octo-org'];
const junk = fc
  .array(fc.oneof(fc.constantFrom(...PIECES), fc.string({ unit: 'grapheme', maxLength: 6 }), fc.string({ unit: 'binary', maxLength: 6 })), { minLength: 1, maxLength: 5 })
  // an environment variable cannot hold a NUL
  .map((parts) => parts.join('').replace(/\0/g, ''));
/** oversized, but under Linux's 128 KiB limit for one environment variable */
const oversized = fc.tuple(fc.integer({ min: 5_000, max: 20_000 }), fc.constantFrom('a', 'repo,', 'é', '😀', 'x\n')).map(([n, unit]) => unit.repeat(n));

const inputsArb = fc
  .record({
    credentials: fc.oneof(
      { arbitrary: fc.constant({ 'client-id': '<CLIENT_ID>' }), weight: 8 },
      { arbitrary: fc.constant({ 'client-id': '', 'app-id': '<APP_ID>' }), weight: 2 },
      { arbitrary: fc.constant({ 'client-id': ' <CLIENT_ID>\n' }), weight: 1 },
      { arbitrary: fc.constant({ 'client-id': 'Iv23liNoSuchApp00' }), weight: 1 }
    ),
    key: fc.oneof(
      { arbitrary: fc.constantFrom<KeyForm>('pem', 'literal-n', 'quoted', 'base64', 'crlf', 'indented'), weight: 10 },
      { arbitrary: fc.constantFrom<KeyForm>('other-app', 'truncated', 'line-deleted', 'flipped', 'public', 'junk'), weight: 1 }
    ),
    scope: fc.oneof(
      { arbitrary: fc.constant({}), weight: 4 },
      { arbitrary: fc.constantFrom({ owner: 'octo-org' }, { owner: 'octo-user' }, { owner: 'Octo-Org' }, { owner: 'nobody-here' }), weight: 2 },
      {
        arbitrary: fc
          .tuple(
            fc.constantFrom('octo-org', ''),
            fc.subarray(['api', 'web', 'app-token', 'API', 'octo-org/web'], { minLength: 1 }),
            fc.oneof({ arbitrary: fc.constant([]), weight: 4 }, { arbitrary: fc.constant(['missing-repo']), weight: 1 }),
            fc.constantFrom(',', '\n', ', ')
          )
          .map(([owner, repos, missing, sep]) => ({ ...(owner ? { owner } : {}), repositories: [...repos, ...missing].join(sep) })),
        weight: 3
      },
      { arbitrary: fc.constantFrom({ 'installation-id': '1001' }, { 'installation-id': '1002' }, { 'installation-id': '9999' }, { 'installation-id': '1001', repositories: 'web' }), weight: 2 }
    ),
    permissions: fc.oneof(
      { arbitrary: fc.constant({}), weight: 3 },
      {
        // mostly what the fake app has been granted; sometimes more (GitHub answers 422)
        arbitrary: fc
          .uniqueArray(
            fc.oneof(
              { arbitrary: fc.constantFrom(['contents', 'read'], ['contents', 'Write'], ['issues', 'write'], ['metadata', 'read'], ['pull-requests', 'read'], ['actions', 'read']), weight: 6 },
              { arbitrary: fc.constantFrom(['actions', 'write'], ['checks', 'read'], ['metadata', 'write']), weight: 1 }
            ),
            { minLength: 1, maxLength: 3, selector: ([name]) => name }
          )
          .map((pairs) => Object.fromEntries(pairs.map(([name, level]) => [`permission-${name}`, level]))),
        weight: 2
      }
    ),
    flags: fc.record(
      {
        'skip-token-revoke': fc.oneof({ arbitrary: fc.constantFrom('', 'false'), weight: 4 }, { arbitrary: fc.constantFrom('true', 'True'), weight: 1 }),
        'bot-identity': fc.constantFrom('', 'false', 'true'),
        'configure-git': fc.constantFrom('', '', '', 'true'),
        summary: fc.constantFrom('', 'true', 'false'),
        'github-api-url': fc.oneof(
          { arbitrary: fc.constantFrom('<API_URL>', '<API_URL>/'), weight: 6 },
          // nothing listens there: every attempt is refused
          { arbitrary: fc.constant('http://127.0.0.1:1'), weight: 1 }
        )
      },
      { requiredKeys: [] }
    ),
    // now and then, one input replaced by something hostile, as in the in-process fuzz
    corruption: fc.oneof(
      { arbitrary: fc.constant(undefined), weight: 5 },
      {
        arbitrary: fc.tuple(
          fc.constantFrom('client-id', 'owner', 'repositories', 'installation-id', 'skip-token-revoke', 'github-api-url', 'summary', 'permission-contents', 'permission-x'),
          fc.oneof({ arbitrary: junk, weight: 4 }, { arbitrary: oversized, weight: 1 })
        ),
        weight: 1
      }
    )
  })
  .map(({ credentials, key, scope, permissions, flags, corruption }) => ({
    inputs: { ...credentials, ...scope, ...permissions, ...flags, ...(corruption ? { [corruption[0]]: corruption[1] } : {}) } as Record<string, string>,
    key
  }));

// ---------------------------------------------------------------------------------------------
// Faults.

const TARGETS: Record<string, FaultMatch | undefined> = {
  'any request': undefined,
  'installation lookup': { method: 'GET', path: /^\/(repos\/[^/]+\/[^/]+|users\/[^/]+|orgs\/[^/]+)\/installation$/ },
  'token creation': { method: 'POST', path: /^\/app\/installations\/\d+\/access_tokens$/ },
  'installation by id': { method: 'GET', path: /^\/app\/installations\/\d+$/ },
  'bot lookup': { method: 'GET', path: /^\/users\/[^/]+\[bot\]$/ },
  revocation: { method: 'DELETE', path: '/installation/token' }
};

const MESSAGES = [
  'Not Found',
  'Bad credentials',
  'Integration not found',
  'A JSON web token could not be decoded',
  "'Expiration time' claim ('exp') is too far in the future",
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
  'There is at least one repository that does not exist or is not accessible to the parent installation.',
  'The permissions requested are not granted to this installation.',
  'This installation has been suspended',
  'Resource not accessible by integration',
  'Invalid request.\n\nFor \'properties/repositories\', "x" is not an array of strings.',
  'Server Error',
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
  'API rate limit exceeded for installation ID 1001.'
];

const body = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  {
    arbitrary: fc
      .record({ message: fc.oneof(fc.constantFrom(...MESSAGES), junk), status: fc.constantFrom('', '403', '500') })
      .map(({ message, status }) => ({ message, documentation_url: 'https://docs.github.com/rest', ...(status ? { status } : {}) })),
    weight: 5
  },
  {
    arbitrary: fc.constantFrom(
      { message: 'Validation Failed', errors: [{ resource: 'Installation', code: 'invalid', field: 'repositories' }] },
      { message: 'x'.repeat(5000) },
      { message: 42 },
      { error: 'not a GitHub body' },
      [],
      '<html><head><title>502 Bad Gateway</title></head>\n<body><h1>502 Bad Gateway</h1></body></html>\n',
      '{"message": "truncated',
      '',
      'upstream connect error or disconnect/reset before headers. reset reason: connection termination'
    ),
    weight: 3
  }
);

type FaultSpec =
  | { kind: 'status'; status: number; body: unknown; retryAfter?: string }
  | { kind: 'not-github'; status: number; body: unknown }
  | { kind: 'rate-limited'; resetIn: number }
  | { kind: 'too-many-requests'; retryAfter: number }
  | { kind: 'secondary-rate-limit'; retryAfter: number }
  | { kind: 'server-error'; status: number }
  | { kind: 'reset' }
  | { kind: 'hang' }
  | { kind: 'delay'; ms: number }
  /** slow answers under the usual request timeout: only the step's deadline ends a long chain of them */
  | { kind: 'dribble'; ms: number }
  | { kind: 'hostile'; variant: Hostile; status?: number };

type Hostile =
  | 'injected names'
  | 'echoed headers'
  | 'echoed in the body'
  | 'huge message'
  | 'future date'
  | 'legacy commands'
  | 'echoed at the cut'
  | 'oversized'
  | 'markdown'
  | 'unusable reset';

const HOSTILE: Hostile[] = ['injected names', 'echoed headers', 'echoed in the body', 'huge message', 'future date', 'legacy commands', 'echoed at the cut', 'oversized', 'markdown', 'unusable reset'];

const faultSpec: fc.Arbitrary<FaultSpec> = fc.oneof(
  {
    arbitrary: fc.record(
      {
        kind: fc.constant('status' as const),
        status: fc.constantFrom(400, 401, 403, 404, 409, 410, 418, 422, 451, 500, 501, 502, 503, 504),
        body,
        retryAfter: fc.constantFrom('0', '1', 'soon', '-5', '99999')
      },
      { requiredKeys: ['kind', 'status', 'body'] }
    ),
    weight: 5
  },
  { arbitrary: fc.record({ kind: fc.constant('rate-limited' as const), resetIn: fc.constantFrom(0, 1, 3600) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('too-many-requests' as const), retryAfter: fc.constantFrom(0, 1, 120) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('secondary-rate-limit' as const), retryAfter: fc.constantFrom(0, 1, 600) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('server-error' as const), status: fc.constantFrom(500, 502, 503, 504) }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'reset' as const }), weight: 2 },
  { arbitrary: fc.constant({ kind: 'hang' as const }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('delay' as const), ms: fc.integer({ min: 0, max: 600 }) }), weight: 1 }
);

/** A server that dribbles its answers out: each one slow, many of them, so only the deadline ends the step. */
const slowServer = fc.record({
  target: fc.oneof({ arbitrary: fc.constant('any request'), weight: 3 }, { arbitrary: fc.constantFrom(...Object.keys(TARGETS)), weight: 1 }),
  times: fc.constant(Infinity),
  fault: fc.record({ kind: fc.constant('dribble' as const), ms: fc.integer({ min: 1_200, max: 2_500 }) })
});

/** A success (or a redirect without Location) whose body is not GitHub's: a captive portal, a misconfigured proxy. */
const notGitHub = fc.record({
  target: fc.constantFrom('installation lookup', 'token creation', 'installation by id', 'bot lookup', 'revocation'),
  times: fc.integer({ min: 1, max: 3 }),
  fault: fc.record({ kind: fc.constant('not-github' as const), status: fc.constantFrom(200, 201, 204, 301, 302), body })
});

/** The review's server: GitHub's own answer, made hostile (workflow commands in names, echoed secrets, huge text). */
const hostileServer = fc.record({
  // mostly the two answers every run gets
  target: fc.oneof({ arbitrary: fc.constantFrom('installation lookup', 'token creation'), weight: 3 }, { arbitrary: fc.constantFrom(...Object.keys(TARGETS)), weight: 1 }),
  times: fc.integer({ min: 1, max: 3 }),
  fault: fc.record(
    {
      kind: fc.constant('hostile' as const),
      variant: fc.constantFrom<Hostile>(...HOSTILE),
      status: fc.constantFrom(401, 403, 404, 422, 500)
    },
    { requiredKeys: ['kind', 'variant'] }
  )
});

const faultsArb = fc.oneof(
  { arbitrary: fc.constant([]), weight: 1 },
  {
    arbitrary: fc.array(
      fc.oneof(
        { arbitrary: fc.record({ target: fc.constantFrom(...Object.keys(TARGETS)), times: fc.integer({ min: 1, max: 3 }), fault: faultSpec }), weight: 12 },
        { arbitrary: notGitHub, weight: 1 },
        { arbitrary: hostileServer, weight: 4 },
        { arbitrary: slowServer, weight: 1 }
      ),
      { minLength: 1, maxLength: 4 }
    ),
    weight: 3
  },
  // the review's server alone, so its answers are not hidden behind other faults
  { arbitrary: fc.array(hostileServer, { minLength: 1, maxLength: 2 }), weight: 2 }
);

function toFault({ target, times, fault }: { target: string; times: number; fault: FaultSpec }): Fault {
  const options = { match: TARGETS[target], times };
  switch (fault.kind) {
    case 'status':
      return statusFault(fault.status, { body: fault.body, headers: fault.retryAfter === undefined ? undefined : { 'retry-after': fault.retryAfter }, ...options });
    case 'not-github':
      return statusFault(fault.status, { body: fault.body, ...options });
    case 'rate-limited':
      return rateLimited(fault.resetIn, options);
    case 'too-many-requests':
      return tooManyRequests(fault.retryAfter, options);
    case 'secondary-rate-limit':
      return secondaryRateLimited(fault.retryAfter, options);
    case 'server-error':
      return serverError(fault.status, options);
    case 'reset':
      return connectionReset(options);
    case 'hang':
      return hang(options);
    case 'delay':
    case 'dribble':
      return delay(fault.ms, options);
    case 'hostile':
      return decorated(hostileAnswer(fault.variant, fault.status), options);
  }
}

/** Workflow commands a server might smuggle into a name; INJECTED marks them in the log. */
const INJECTION = '\n::warning title=INJECTED::x\r\n::stop-commands::INJECTED\n::error::INJECTED';
const inject = (value: unknown) => `${typeof value === 'string' ? value : 'x'}${INJECTION}`;
/** The runner's legacy command form, which it reads anywhere in a line. */
const LEGACY = '##[set-output name=committer]evil##[add-mask]octo##[stop-commands]INJECTED';
const MARKDOWN = '![track](https://evil.example/pixel.png)';

function hostileAnswer(variant: Hostile, status = 422): Decorate {
  return ({ body }, request): ReturnType<Decorate> => {
    const secret = request.headers['authorization'] ?? '';
    const own = body !== null && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
    switch (variant) {
      case 'injected names': {
        const changed: Record<string, unknown> = { ...own, message: inject(own['message']) };
        if ('app_slug' in own) changed['app_slug'] = inject(own['app_slug']);
        if ('account' in own) changed['account'] = { login: inject('octo-org') };
        if ('expires_at' in own) changed['expires_at'] = inject(own['expires_at']);
        if ('permissions' in own) changed['permissions'] = { [inject('contents')]: inject('read'), '::error::INJECTED': 'write' };
        if ('token' in own) changed['repositories'] = [{ name: inject('app-token') }, { name: '<img src=x onerror=alert(1)>|INJECTED' }];
        if ('login' in own) changed['login'] = inject(own['login']);
        return { body: changed };
      }
      case 'echoed headers': {
        // what @octokit/request quotes in its deprecation warning, while the token is not yet masked
        const echoed = typeof own['token'] === 'string' ? own['token'] : secret.replace(/^\S+ /, '');
        return { headers: { deprecation: 'true', sunset: echoed, link: `<https://example.com/${echoed}>; rel="deprecation"` } };
      }
      case 'echoed in the body':
        return { status, body: { message: `You sent ${JSON.stringify(request.headers)} and ${request.rawBody}${INJECTION}` } };
      case 'huge message':
        return { status, body: { message: `${'x'.repeat(300_000)}${INJECTION}${secret}` } };
      case 'future date':
        return { status: 401, headers: { date: 'Sat, 01 Jan 2050 00:00:00 GMT' }, body: { message: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued." } };
      case 'legacy commands': {
        const changed: Record<string, unknown> = { ...own, message: `${String(own['message'] ?? 'x')}${LEGACY}` };
        if ('app_slug' in own) changed['app_slug'] = `my-app${LEGACY}`;
        if ('account' in own) changed['account'] = { login: `octo${LEGACY}` };
        if ('expires_at' in own) changed['expires_at'] = `${String(own['expires_at'])}${LEGACY}`;
        if ('token' in own) changed['repositories'] = [{ name: `app-token${LEGACY}` }];
        return { body: changed };
      }
      case 'echoed at the cut': {
        // what the request carried (the JWT, or the token on its later uses), where a cut at 300
        // characters would keep most of it; a token in an answer the action never received is not
        // one it could know to redact
        return { status, body: { message: `${'x'.repeat(275)}${secret.replace(/^\S+ /, '')}` } };
      }
      case 'oversized': {
        const changed: Record<string, unknown> = { ...own };
        if ('app_slug' in own) changed['app_slug'] = 'a'.repeat(2 * 1024 * 1024);
        if ('token' in own) changed['repositories'] = Array.from({ length: 600 }, (_, i) => ({ name: `repository-${i}` }));
        if (!('app_slug' in own) && !('token' in own)) return { status, body: { message: 'm'.repeat(2 * 1024 * 1024) } };
        return { body: changed };
      }
      case 'markdown': {
        const changed: Record<string, unknown> = { ...own, message: `${MARKDOWN} ${String(own['message'] ?? '')}` };
        if ('app_slug' in own) changed['app_slug'] = MARKDOWN;
        if ('account' in own) changed['account'] = { login: '[Re-run here](https://evil.example/phish)' };
        if ('token' in own) changed['repositories'] = [{ name: MARKDOWN }, { name: 'www.evil.example' }];
        return { body: changed };
      }
      case 'unusable reset':
        return { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '99999999999999' }, body: { message: 'API rate limit exceeded' } };
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Checks.

/** A whole secret of 8+ characters, or any 8+ character line of one (PEM lines, real or literal \n). */
function leaks(text: string, secrets: readonly string[]): string[] {
  const found = new Set<string>();
  for (const secret of secrets) {
    if (secret.trim().length >= 8 && text.includes(secret)) found.add(secret);
    for (const line of secret.split(/\r?\n|\\n/)) {
      const trimmed = line.trim().replace(/^["']|["']$/g, '');
      if (trimmed.length >= 8 && !trimmed.startsWith('-----') && text.includes(trimmed)) found.add(trimmed);
    }
  }
  return [...found].map((secret) => (secret.length > 24 ? `${secret.slice(0, 12)}…${secret.slice(-6)}` : secret));
}

/** Where in a step's output a secret shows: stdout but its ::add-mask:: lines, stderr, summary, annotations. */
function leakProblems(name: string, step: StepResult, secrets: readonly string[]): string[] {
  const maskLines = new Set(step.commands.filter((c) => c.command === 'add-mask').map((c) => c.line));
  const stdout = step.stdout
    .split('\n')
    .filter((_, i) => !maskLines.has(i))
    .join('\n');
  const messages = step.commands
    .filter((c) => ['error', 'warning', 'notice', 'debug'].includes(c.command))
    .map((c) => c.message)
    .join('\n');
  const where: [string, string][] = [
    ['stdout', stdout],
    ['stderr', step.stderr],
    ['the step summary', step.summary],
    ['an annotation or debug message', messages]
  ];
  return where.flatMap(([place, text]) => leaks(text, secrets).map((secret) => `${name}: a secret (${secret}) is in ${place}`));
}

/** Server text that became a workflow command: a line of the log (or summary) that starts with one of INJECTION's commands. */
function injectionProblems(name: string, step: StepResult): string[] {
  const problems: string[] = [];
  for (const [place, text] of [['stdout', step.stdout], ['the step summary', step.summary]] as const) {
    const bad = text.split(/\r?\n/).filter((line) => /^\s*::(warning title=INJECTED|stop-commands::INJECTED|error::INJECTED)/.test(line));
    if (bad.length) problems.push(`${name}: server text became a workflow command in ${place}: ${bad[0]?.slice(0, 200)}`);
  }
  if (step.summary.includes('<img')) problems.push(`${name}: server text is HTML in the step summary`);
  for (const command of step.commands) {
    if (command.command === 'stop-commands' || command.properties['title'] === 'INJECTED') problems.push(`${name}: a ::${command.command}:: from the server`);
  }
  return problems;
}

/** What the second review found: future JWTs, '##[', pieces of secrets, unbounded outputs, links in the summary, no deadline. */
function boundProblems(name: string, step: StepResult, secrets: readonly string[]): string[] {
  const problems: string[] = [];
  const maskLines = new Set(step.commands.filter((c) => c.command === 'add-mask').map((c) => c.line));
  const shown = step.stdout.split('\n').filter((_, i) => !maskLines.has(i));
  for (const [place, text] of [['stdout', shown.join('\n')], ['stderr', step.stderr], ['the step summary', step.summary]] as const) {
    if (text.includes('##[')) problems.push(`${name}: '##[' in ${place}`);
    for (const secret of secrets.filter((x) => x.length >= 20 && !x.includes('\n'))) {
      for (let i = 0; i + 20 <= secret.length; i += 10) {
        if (text.includes(secret.slice(i, i + 20))) {
          problems.push(`${name}: a piece of a secret (${secret.slice(i, i + 8)}…) in ${place}`);
          break;
        }
      }
    }
  }
  const longest = Math.max(0, ...shown.map((line) => line.length));
  if (longest > 20_000) problems.push(`${name}: a log line of ${longest} characters`);
  for (const [output, value] of Object.entries(step.outputs)) if (Buffer.byteLength(value) > 64 * 1024) problems.push(`${name}: output '${output}' has ${Buffer.byteLength(value)} bytes`);
  if (Buffer.byteLength(step.summary) > 64 * 1024) problems.push(`${name}: a summary of ${Buffer.byteLength(step.summary)} bytes`);
  if (/(?<!\\)!\[|(?<!\\)\]\(|https?:\/\/evil/.test(step.summary)) problems.push(`${name}: a link or image from the server in the summary`);
  if (step.durationMs > DEADLINE_MS + 4_000) problems.push(`${name}: took ${step.durationMs} ms, past its deadline of ${DEADLINE_MS} ms`);
  return problems;
}

/** No JWT signed for a time more than 15 minutes (and the 60 s backdating) from the runner's clock. */
function futureJwtProblems(requests: typeof s.gh.requests): string[] {
  return requests
    .filter((r) => r.auth.kind === 'jwt' && typeof (r.auth.claims as { iat?: unknown } | undefined)?.iat === 'number')
    .filter((r) => Math.abs((r.auth.claims as { iat: number }).iat + 60 - r.receivedAt / 1000) > 15 * 60 + 5)
    .map((r) => `a JWT with iat ${(r.auth.claims as { iat: number }).iat} was sent at ${Math.floor(r.receivedAt / 1000)}`);
}

const CRASH = /^\s+at \S|Unexpected error|Uncaught|UnhandledPromiseRejection|unhandled|TypeError|ReferenceError|RangeError|SyntaxError/m;

function stepProblems(name: string, step: StepResult): string[] {
  const problems: string[] = [];
  if (step.timedOut) problems.push(`${name}: did not end within ${STEP_TIMEOUT_MS} ms (killed)`);
  if (step.signal) problems.push(`${name}: ended by signal ${step.signal}`);
  if (CRASH.test(step.stderr)) problems.push(`${name}: stderr shows a crash: ${step.stderr.slice(0, 500)}`);
  for (const message of errors(step)) if (/Unexpected error/.test(message)) problems.push(`${name}: an unexpected error (a bug): ${message.slice(0, 500)}`);
  if (step.fileCommandErrors.length) problems.push(`${name}: malformed file commands: ${step.fileCommandErrors.join('; ')}`);
  return problems;
}

const isTrue = (value: string | undefined) => ['true', 'True', 'TRUE'].includes((value ?? '').trim());

function excerpt(step: StepResult | undefined): string {
  if (!step) return '(not run)';
  const cut = (text: string) => (text.length > 3000 ? `${text.slice(0, 3000)}… (${text.length} chars)` : text);
  return `exit ${step.code}${step.timedOut ? ' (timed out)' : ''} in ${step.durationMs} ms\n--- stdout\n${cut(step.stdout)}\n--- stderr\n${cut(step.stderr)}`;
}

// ---------------------------------------------------------------------------------------------

describe('the action under random inputs and faults', () => {
  it(
    'ends in time with a token or exactly one error, never crashes or prints a secret, and post never fails',
    async () => {
      console.log(`fuzz of the built action: seed ${SEED}, ${RUNS} runs (replay: FUZZ_SEED=${SEED} FUZZ_RUNS=${RUNS})`);
      const started = Date.now();
      const stats = new Map<string, number>();
      const count = (what: string) => stats.set(what, (stats.get(what) ?? 0) + 1);
      await fc.assert(
        fc.asyncProperty(inputsArb, faultsArb, fc.boolean(), async ({ inputs: symbolic, key: keyForm }, faults, debug) => {
          s.gh.reset();
          const tokensBefore = new Set(s.gh.tokens.keys());
          for (const fault of faults) s.gh.faults.push(toFault(fault));
          for (const { fault } of faults) if (fault.kind === 'hostile') count(`with a hostile server: ${fault.variant}`);
          if (faults.some(({ fault }) => fault.kind === 'dribble')) count('with a slow server (dribbled answers)');
          const privateKey = keyValue(keyForm, s.key);
          const inputs: Record<string, string> = { 'private-key': privateKey };
          for (const [name, value] of Object.entries(symbolic)) {
            inputs[name] = value.replace('<CLIENT_ID>', s.gh.app.clientId).replace('<APP_ID>', String(s.gh.app.id)).replace('<API_URL>', s.gh.url);
          }
          const slow = faults.some(({ fault }) => fault.kind === 'hang' || fault.kind === 'delay');
          const env: Record<string, string | undefined> = {
            GITHUB_API_URL: s.gh.url,
            APP_TOKEN_RETRY_BASE_MS: '0',
            APP_TOKEN_TIMEOUT_MS: slow ? '300' : undefined,
            APP_TOKEN_DEADLINE_MS: String(DEADLINE_MS),
            RUNNER_DEBUG: debug ? '1' : undefined
          };

          const main = await runStep('main', { inputs, env, timeoutMs: STEP_TIMEOUT_MS });
          const problems = stepProblems('main', main);
          const token = main.outputs['token'];
          const saved = main.state['token'];
          const mainErrors = errors(main);
          const wantsBot = isTrue(inputs['bot-identity']) || isTrue(inputs['configure-git']);
          if (main.code === 0) {
            count('main succeeded');
            if (mainErrors.length !== 0) problems.push(`main: exit 0 with ${mainErrors.length} ::error annotations`);
            if (!token || !s.gh.tokens.has(token)) problems.push('main: exit 0 without a token GitHub issued');
            if (saved !== token) problems.push('main: the token saved for post is not the token output');
          } else if (main.code === 1) {
            count(`main failed${token ? ' after minting' : ''}`);
            if (process.env.FUZZ_STATS === '1') count(`  error: ${(mainErrors[0] ?? '').replace(/\d+/g, 'N').slice(0, 60)}`);
            if (mainErrors.length !== 1) problems.push(`main: exit 1 with ${mainErrors.length} ::error annotations (expected exactly one)`);
            // Only the bot-identity steps come after the token outputs are set; the token is then saved for post.
            if (token && !wantsBot) problems.push('main: failed but set a token output');
            if (token && saved !== token) problems.push('main: failed after minting but did not save the token for post');
          } else {
            problems.push(`main: exit code ${main.code}`);
          }

          // The runner runs post whatever main did.
          if (mainErrors.some((e) => e.startsWith('The main step stopped at its deadline'))) count('main stopped at its deadline');
          const post = await runStep('post', { inputs, env, state: main.state, home: main.home, timeoutMs: STEP_TIMEOUT_MS });
          if (warnings(post).some((w) => w.includes("within the post step's deadline"))) count('post stopped at its deadline');
          for (const [name, step] of [['main', main], ['post', post]] as const) if (step.stderr.trim()) count(`${name} wrote to stderr`);
          problems.push(...stepProblems('post', post));
          if (post.code !== 0) problems.push(`post: exit code ${post.code} (post must never fail)`);
          if (errors(post).length) problems.push(`post: ::error annotations: ${errors(post).join(' | ').slice(0, 500)}`);
          if (saved) {
            // a 204 fault on the DELETE is, for the action, GitHub saying the token is revoked
            const toldRevoked = s.gh.requests.some((r) => r.method === 'DELETE' && r.fault === 'status' && r.status === 204);
            const revoked = s.gh.tokens.get(saved)?.revoked === true || toldRevoked;
            const warned = warnings(post).length > 0;
            if (isTrue(inputs['skip-token-revoke'])) {
              count('post kept the token (skip-token-revoke)');
              if (revoked) problems.push("post: revoked the token although 'skip-token-revoke' is true");
            } else {
              count(revoked ? 'post revoked the token' : 'post warned');
              if (!revoked && !warned) problems.push('post: neither revoked the token nor warned that it could not');
            }
          }

          const jwts = s.gh.requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.auth.token ?? '');
          const minted = [...s.gh.tokens.keys()].filter((t) => !tokensBefore.has(t));
          const secrets = [privateKey, s.key, ...jwts, ...minted];
          problems.push(...leakProblems('main', main, secrets), ...leakProblems('post', post, secrets));
          problems.push(...injectionProblems('main', main), ...injectionProblems('post', post));
          problems.push(...boundProblems('main', main, secrets), ...boundProblems('post', post, secrets), ...futureJwtProblems(s.gh.requests));
          for (const [name, step] of [['main', main], ['post', post]] as const) {
            const longest = Math.max(0, ...step.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command)).map((c) => c.message.length));
            if (longest > 2_000) problems.push(`${name}: an annotation of ${longest} characters (server text is not bounded)`);
          }

          if (problems.length) {
            throw new Error(
              `${problems.join('\n')}\n\nrequests: ${s.gh.requests.map((r) => `${r.method} ${r.path} → ${r.status || r.fault}`).join(', ')}\n\n=== main ${excerpt(main)}\n\n=== post ${excerpt(post)}`
            );
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: !SHRINK }
      );
      console.log(`fuzz: ${RUNS} runs of main and post in ${((Date.now() - started) / 1000).toFixed(1)} s (seed ${SEED})`);
      if (process.env.FUZZ_STATS === '1') console.log(`fuzz (seed ${SEED}, ${RUNS} runs):\n${[...stats].sort((a, b) => b[1] - a[1]).map(([what, n]) => `${String(n).padStart(5)}  ${what}`).join('\n')}`);
    },
    60_000 + RUNS * 4_000
  );
});
