/** How a step that fails says so: one annotation, written for the person reading the log. */
import { ActionError, ApiError } from './errors.js';
import type { Runner } from './runner.js';
import type { Secrets } from './secrets.js';

/** One `::error` annotation for a failure; the stack only in debug mode. */
export function reportFailure(runner: Runner, secrets: Secrets, error: unknown): void {
  const known = error instanceof ActionError || error instanceof ApiError;
  runner.setFailed(known ? secrets.messageOf(error) : `Unexpected error: ${secrets.messageOf(error)}`);
  if (runner.isDebug() && error instanceof Error && error.stack) runner.debug(secrets.redact(error.stack));
}
