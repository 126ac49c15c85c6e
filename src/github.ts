/**
 * The one way the action talks to GitHub: Octokit with the right base URL and proxy, every request
 * under the same retry policy, and app requests signed with a JWT from a clock that is corrected
 * when GitHub says it is off.
 */
import { Octokit } from '@octokit/core';
import { answerHints } from './answer-hints.js';
import { redirectedTo, toApiError, toFailure } from './api-failure.js';
import type { Progress } from './deadline.js';
import type { Env } from './env.js';
import { ApiError } from './errors.js';
import { describeForeignBody } from './foreign-answer.js';
import { nodeFetch } from './http.js';
import { proxiedFetch, proxyFor } from './proxy.js';
import { decide, type Failure, type Fresh, type RetryPolicy } from './retry.js';
import { untrusted } from './untrusted.js';

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

/**
 * A request as messages name it, "GET /repos/octo-org/app/installation": parameters as given, not
 * URL-encoded, so people can read them, but escaped: some (the bot's name) come from the server.
 */
export function describeRequest(route: string, params: Readonly<Record<string, unknown>> = {}): string {
  const [method = '', path = route] = route.split(' ');
  return `${method} ${path.replace(/\{(\w+)\}/g, (_, name: string) => untrusted(params[name] ?? '', 200))}`;
}
