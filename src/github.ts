/**
 * The one way the action talks to GitHub: Octokit with the right base URL and proxy, every request
 * under the same retry policy, and app requests signed with a JWT from a clock that is corrected
 * when GitHub says it is off.
 */
import { Octokit } from '@octokit/core';
import { answerHints, type AnswerHints } from './answer-hints.js';
import type { Env } from './env.js';
import { ApiError } from './errors.js';
import { isoTime } from './github-forms.js';
import { describeForeignBody } from './foreign-answer.js';
import { nodeFetch } from './http.js';
import { proxiedFetch, proxyFor } from './proxy.js';
import { TOO_LARGE } from './response.js';
import type { Progress } from './deadline.js';
import { decide, MAX_CLOCK_CORRECTION_MS, rateLimitReset, type Failure, type Fresh, type RetryPolicy } from './retry.js';
import { quoted, untrusted } from './untrusted.js';

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warning(message: string): void;
}

/** The logger Octokit takes. */
export interface OctokitLog {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export interface ClientOptions {
  /** REST API root without a trailing slash, e.g. https://ghe.example.com/api/v3 */
  readonly baseUrl: string;
  /** signs an app JWT for the given time (seconds since the epoch) */
  readonly signJwt?: (nowSeconds: number) => Promise<string>;
  /** a JWT signed elsewhere (`app-jwt`), sent as it is: it cannot be signed again after a clock correction */
  readonly givenJwt?: string;
  readonly retry: RetryPolicy;
  readonly log: Logger;
  /** Octokit's own log (e.g. @octokit/request's deprecation warning): a HeldLog */
  readonly octokitLog: OctokitLog;
  readonly env: Env;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** hides every secret known so far: applied to server text before it is cut, so no cut can leave part of one */
  readonly redact?: (text: string) => string;
  /** the step's deadline: aborts the request in flight and any wait, and ends the retries */
  readonly signal?: AbortSignal;
  /** told what the client waits for, for the deadline's message */
  readonly progress?: Progress;
}

export interface Reply<T> {
  readonly status: number;
  readonly data: T;
  readonly headers: Readonly<Record<string, string | undefined>>;
}

export type Auth =
  | { readonly app: true }
  | {
      readonly token: string;
      /** when this run minted the token (runner clock, ms): its first uses may meet GitHub's replication lag */
      readonly mintedAt?: number;
    };

export interface RequestOptions {
  /** which replication rule applies to a token with `mintedAt` (default 'freshToken') */
  readonly lag?: 'freshToken' | 'verifyToken';
}

export interface GitHub {
  /** `route` is Octokit's "METHOD /path/{param}" form; params fill it and the rest is the body. */
  request<T>(auth: Auth, route: string, params?: Record<string, unknown>, options?: RequestOptions): Promise<Reply<T>>;
  /** removes the run's known secrets from server text, before anything cuts it */
  redact(text: string): string;
}

const JWT_REUSE_MS = 5 * 60_000;

/** A wait that ends early when `signal` aborts. */
const sleepFor = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

export async function createGitHub(options: ClientOptions): Promise<GitHub> {
  const clock = options.clock ?? Date.now;
  const redact = options.redact ?? ((text: string) => text);
  const { signal, progress = { waitingFor: '' } } = options;
  const sleep = options.sleep ?? ((ms: number) => sleepFor(ms, signal));
  const random = options.random ?? Math.random;
  const { retry, log } = options;
  const hints = answerHints(options.baseUrl, options.env);
  const proxy = proxyFor(new URL(options.baseUrl), options.env);
  if (proxy) log.debug(`Using the proxy from the environment for ${options.baseUrl}`);
  const octokit = new Octokit({
    baseUrl: options.baseUrl,
    userAgent: 'app-token-action',
    log: options.octokitLog,
    // @octokit/request logs through request.log (console by default), not through Octokit's `log`
    request: { fetch: proxy ? await proxiedFetch(proxy) : nodeFetch, log: options.octokitLog }
  });
  // GitHub's clock minus ours, learnt from its Date header when it rejects a JWT's times.
  let clockOffsetMs = 0;
  let clockFixes = 0;

  // One JWT serves every app request of the run (it is valid for 9 more minutes); a new one is
  // signed after a clock correction, or when a long wait has aged it.
  let jwt: { value: string; offsetMs: number; signedAt: number } | undefined;
  async function authorization(auth: Auth): Promise<string> {
    if ('token' in auth) return `token ${auth.token}`;
    if (options.givenJwt) return `Bearer ${options.givenJwt}`;
    if (!options.signJwt) throw new Error('no app key to sign with');
    if (!jwt || jwt.offsetMs !== clockOffsetMs || clock() - jwt.signedAt > JWT_REUSE_MS) {
      jwt = { value: await options.signJwt(Math.floor((clock() + clockOffsetMs) / 1000)), offsetMs: clockOffsetMs, signedAt: clock() };
    }
    return `Bearer ${jwt.value}`;
  }

  async function request<T>(auth: Auth, route: string, params: Record<string, unknown> = {}, opts: RequestOptions = {}): Promise<Reply<T>> {
    const fresh: Fresh | undefined = 'token' in auth && auth.mintedAt !== undefined ? { rule: retry[opts.lag ?? 'freshToken'], mintedAt: auth.mintedAt } : undefined;
    let lagWaits = 0;
    const name = describeRequest(route, params);
    for (let attempt = 1; ; attempt++) {
      if (signal?.aborted) throw signal.reason;
      const headers = { authorization: await authorization(auth), 'x-github-api-version': '2022-11-28' };
      progress.waitingFor = `an answer to ${name}`;
      let failure: Failure;
      try {
        const timeout = AbortSignal.timeout(retry.timeoutMs);
        const reply = await octokit.request(route, { ...params, headers, request: { signal: signal ? AbortSignal.any([timeout, signal]) : timeout } });
        if (signal?.aborted) throw signal.reason;
        const replyHeaders = reply.headers as Record<string, string | undefined>;
        // (an empty body is what a 204 has: only text where JSON should be counts)
        const text = (typeof reply.data === 'string' && reply.data !== '') || (reply.data instanceof ArrayBuffer && reply.data.byteLength > 0);
        const foreign = reply.status < 300 && text ? describeForeignBody(reply.data, replyHeaders['content-type']) : undefined;
        if (reply.status < 300 && !foreign) return { status: reply.status, data: reply.data as T, headers: replyHeaders };
        // text where JSON should be (a login page after a redirect, a portal) is not GitHub's answer,
        // and a redirect that could not be followed (no Location) is no answer to use
        failure = foreign
          ? { status: reply.status, message: foreign + redirectedTo(redact(reply.url ?? ''), name), headers: replyHeaders, asApp: 'app' in auth, foreign: true }
          : { status: reply.status, message: 'a redirect without a Location', headers: replyHeaders, asApp: 'app' in auth };
      } catch (error) {
        if (signal?.aborted) throw signal.reason;
        failure = toFailure({ error, asApp: 'app' in auth, timeoutMs: retry.timeoutMs, redact });
      }
      const decision = decide({ failure, at: { attempt, clockFixes, now: clock(), random: random(), lagWaits, givenJwt: Boolean(options.givenJwt) }, policy: retry, fresh });
      if (decision.kind === 'resign') {
        clockOffsetMs = decision.serverTimeMs - clock();
        clockFixes++;
        log.info(`GitHub's clock differs from this runner's by ${Math.round(clockOffsetMs / 1000)} s: signing again with GitHub's time.`);
        attempt--; // a clock fix is not a failed attempt
      } else if (decision.kind === 'wait') {
        log.info(`${name}: ${decision.reason}; trying again in ${(decision.ms / 1000).toFixed(1)} s (attempt ${attempt + 1} of ${retry.attempts}).`);
        progress.waitingFor = `the ${(decision.ms / 1000).toFixed(1)} s wait before trying ${name} again (${decision.reason})`;
        await sleep(decision.ms);
      } else if (decision.kind === 'lag') {
        lagWaits++;
        attempt--; // replication lag is not a failed attempt
        log.info(`${name}: ${decision.reason}; trying again in ${(decision.ms / 1000).toFixed(1)} s (wait ${lagWaits} of ${fresh?.rule.delaysMs.length}).`);
        progress.waitingFor = `GitHub to replicate the new token (a ${(decision.ms / 1000).toFixed(1)} s wait before trying ${name} again)`;
        await sleep(decision.ms);
      } else {
        const error = toApiError({ failure, request: name, reason: decision.reason, serverTimeMs: decision.serverTimeMs, attempt, now: clock(), hints });
        if (decision.reason === 'not-replicated' && fresh) {
          throw new ApiError(`${error.message} (the new token still failed ${((clock() - fresh.mintedAt) / 1000).toFixed(1)} s after it was minted, after ${lagWaits} waits)`, error.request, failure);
        }
        throw error;
      }
    }
  }
  return { request, redact };
}

/** ", after a redirect to /login": where a followed redirect ended, when not at the request's own path (path only, escaped). */
function redirectedTo(url: string, request: string): string {
  const path = request.slice(request.indexOf(' ') + 1);
  try {
    const end = decodeURIComponent(new URL(url).pathname);
    return end.endsWith(path) ? '' : `, after a redirect to ${untrusted(end, 100)}`;
  } catch {
    return '';
  }
}

interface Thrown {
  readonly error: unknown;
  /** the request was authenticated with the app's JWT */
  readonly asApp: boolean;
  readonly timeoutMs: number;
  readonly redact: (text: string) => string;
}

function toFailure({ error, asApp, timeoutMs, redact }: Thrown): Failure {
  const e = error as NetworkError & { response?: { status: number; data: unknown; headers: Record<string, string | undefined> } };
  if (e.response) {
    const foreign = describeForeignBody(e.response.data, e.response.headers['content-type']);
    if (foreign) return { status: e.response.status, message: foreign, headers: e.response.headers, asApp, foreign: true };
    const data = e.response.data as { message?: unknown } | string | undefined;
    const message = typeof data === 'object' && data && typeof data.message === 'string' ? data.message : String(e.message ?? '');
    return { status: e.response.status, message: quoted(redact(message)), headers: e.response.headers, asApp };
  }
  // Octokit wraps fetch's error, which wraps the socket's: the useful code is at the bottom.
  const causes = [e, e.cause, e.cause?.cause].filter((c): c is NetworkError => Boolean(c));
  const timedOut = causes.some((c) => c.name === 'TimeoutError');
  const code = causes.map((c) => c.code).find((c) => typeof c === 'string');
  const detail = causes.at(-1)?.message ?? 'network error';
  const withCode = code && code !== TOO_LARGE && !detail.includes(code) ? `${detail} (${code})` : detail;
  const message = timedOut ? `no answer within ${timeoutMs / 1000} s` : quoted(redact(withCode));
  return { status: undefined, message, headers: {}, asApp, code };
}

interface NetworkError {
  name?: string;
  message?: string;
  code?: string;
  cause?: NetworkError;
}

/**
 * A request as messages name it, "GET /repos/octo-org/app/installation": parameters as given, not
 * URL-encoded, so people can read them, but escaped: some (the bot's name) come from the server.
 */
export function describeRequest(route: string, params: Readonly<Record<string, unknown>> = {}): string {
  const [method = '', path = route] = route.split(' ');
  return `${method} ${path.replace(/\{(\w+)\}/g, (_, name: string) => untrusted(params[name] ?? '', 200))}`;
}

interface FailedRequest {
  readonly failure: Failure;
  /** from describeRequest */
  readonly request: string;
  /** why decide() gave up */
  readonly reason: string | undefined;
  /** the server's clock, when decide() refused to correct to it */
  readonly serverTimeMs?: number;
  readonly attempt: number;
  readonly now: number;
  /** what to check, decided once for the client (API URL, proxy) */
  readonly hints: AnswerHints;
}

function toApiError({ failure, request, reason, serverTimeMs, attempt, now, hints }: FailedRequest): ApiError {
  const answer =
    failure.status === undefined
      ? failure.message.startsWith('no answer') || failure.code === TOO_LARGE ? failure.message : `no answer (${failure.message})`
      : failure.foreign ? `${failure.status} (${failure.message})` : `${failure.status} ${failure.message}`.trim();
  let message = `${request} failed: ${answer}`;
  if (reason === 'attempts') message += ` (gave up after ${attempt} attempts)`;
  if (failure.code === TOO_LARGE) {
    message += `.${hints.notGitHub}`;
  } else if (reason === 'network' && failure.code !== 'ENOTFOUND') {
    message += `. The server's TLS certificate could not be verified: check 'github-api-url'; for a server with a private CA, point NODE_EXTRA_CA_CERTS at the CA's certificate on the runner.`;
  } else if (failure.status === undefined) {
    message += hints.noAnswer;
  } else if (failure.status >= 500) message += '. GitHub is having trouble; re-run the job later.';
  else if (failure.foreign) message += `.${hints.notGitHub}`;
  if (reason === 'rate-limit') {
    message = `${request} failed: GitHub's API rate limit is exhausted until ${rateLimitReset(failure, now)}. Wait for the reset, or spread the workflows that use this app over time.`;
  }
  if (reason === 'given-jwt') {
    message = `${request} failed: GitHub rejected the times in 'app-jwt' (${failure.message}). A JWT signed elsewhere cannot be signed again here: in the step that signs it, set 'iat' 60 s in the past from a correct clock (NTP), and 'exp' at most 10 minutes after 'iat'.`;
  }
  if (reason === 'clock-bound' && serverTimeMs !== undefined) {
    const minutes = Math.round(Math.abs(serverTimeMs - now) / 60_000);
    message = `${request} failed: GitHub rejected the JWT's times (${failure.message}), and its Date header puts the server's clock at ${isoTime(serverTimeMs)} while this runner's clock says ${isoTime(now)}: ${minutes} minutes apart, more than the ${MAX_CLOCK_CORRECTION_MS / 60_000} minutes this action corrects, so it did not sign a JWT for the server's time. Set the runner's clock right (NTP); if it is right, the server (or a proxy answering for it) is not telling the time, so check 'github-api-url' and the proxy settings.`;
  }
  if (reason === 'clock') {
    message = `${request} failed: GitHub rejected the JWT's times (${failure.message}) and its Date header did not allow a correction. Check the runner's clock (NTP).`;
  }
  return new ApiError(message, request, failure);
}
