/**
 * An answer that is not GitHub's JSON (an HTML page, a login page after a redirect, an empty or
 * text body) came from something other than the REST API: a `github-api-url` without `/api/v3`,
 * a proxy or a portal. Such an answer says nothing about the app or the installation.
 */
import { ApiError } from './errors.js';

/** What the body was when it is not a JSON object (Octokit gives text or bytes), else undefined. */
export function describeForeignBody(data: unknown, contentType: string | undefined): string | undefined {
  if (data !== null && typeof data === 'object' && !(data instanceof ArrayBuffer)) return undefined;
  const text = typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data).toString('utf8') : '';
  if (/html/i.test(contentType ?? '') || /^\s*<(!doctype|html|head|body)\b/i.test(text)) return "an HTML page, not GitHub's JSON";
  return text.trim() === '' ? "an empty body, not GitHub's JSON" : "a body that is not GitHub's JSON";
}

/** The request failed on an answer that was not GitHub's: explanations about the app do not apply. */
export function isForeignAnswer(error: unknown): boolean {
  return error instanceof ApiError && error.failure.foreign === true;
}
