/**
 * A failed request in words: what came back (or did not), turned into a Failure for decide(), and
 * the final message once decide() gives up, with where to look. Server text is redacted before
 * anything cuts it.
 */
import type { AnswerHints } from './answer-hints.js';
import { ApiError } from './errors.js';
import { describeForeignBody } from './foreign-answer.js';
import { isoTime } from './github-forms.js';
import { TOO_LARGE } from './response.js';
import { MAX_CLOCK_CORRECTION_MS, rateLimitReset, type Failure } from './retry.js';
import { quoted, untrusted } from './untrusted.js';

/** ", after a redirect to /login": where a followed redirect ended, when not at the request's own path (path only, escaped). */
export function redirectedTo(url: string, request: string): string {
  const path = request.slice(request.indexOf(' ') + 1);
  try {
    const end = decodeURIComponent(new URL(url).pathname);
    return end.endsWith(path) ? '' : `, after a redirect to ${untrusted(end, 100)}`;
  } catch {
    return '';
  }
}

export interface Thrown {
  readonly error: unknown;
  /** the request was authenticated with the app's JWT */
  readonly asApp: boolean;
  readonly timeoutMs: number;
  readonly redact: (text: string) => string;
}

export function toFailure({ error, asApp, timeoutMs, redact }: Thrown): Failure {
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

export interface FailedRequest {
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

export function toApiError({ failure, request, reason, serverTimeMs, attempt, now, hints }: FailedRequest): ApiError {
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
