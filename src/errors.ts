import type { Failure } from './retry.js';

/**
 * An error whose message is written for the person reading the workflow log: it names the input
 * or the owner/repository involved and says how to fix it. Nothing else is printed for it.
 */
export class ActionError extends Error {
  override name = 'ActionError';
}

/** A success status whose body is not what GitHub sends: something else answered (a proxy, a wrong URL). */
export function unexpectedAnswer(request: string, what: string): ActionError {
  return new ActionError(
    `The answer to ${request} was not ${what}. Check that 'github-api-url' is the REST API root (e.g. https://ghe.example.com/api/v3) and that no proxy answers in GitHub's place.`
  );
}

/** A list for a message: the first `max` names, then how many more. */
export function listNames(names: readonly string[], max = 10): string {
  return names.length > max ? `${names.slice(0, max).join(', ')} and ${names.length - max} more` : names.join(', ');
}

/** A request to GitHub that failed for good, after any retries. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    message: string,
    /** "METHOD /path", for messages */
    readonly request: string,
    /** what the last attempt got back, for the callers that explain it */
    readonly failure: Failure
  ) {
    super(message);
  }

  /** undefined when no answer came (network error or timeout) */
  get status(): number | undefined {
    return this.failure.status;
  }

  /** GitHub's own message, or the network error's */
  get detail(): string {
    return this.failure.message;
  }
}
