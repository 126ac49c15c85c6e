/** What the action needs from the runner, so tests can hand in a recorder instead of @actions/core. */
import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
import { redact } from './errors.js';
import type { Logger } from './github.js';
import type { StateStore } from './state.js';

export interface Runner extends Logger, StateStore {
  setSecret(secret: string): void;
  setOutput(name: string, value: string): void;
  setFailed(message: string): void;
  appendSummary(markdown: string): void;
  isDebug(): boolean;
}

export const actionsRunner: Runner = {
  setSecret: core.setSecret,
  setOutput: core.setOutput,
  saveState: core.saveState,
  getState: core.getState,
  setFailed: core.setFailed,
  debug: core.debug,
  info: core.info,
  warning: core.warning,
  isDebug: core.isDebug,
  appendSummary(markdown) {
    const file = process.env['GITHUB_STEP_SUMMARY'];
    try {
      if (file) appendFileSync(file, markdown);
    } catch (error) {
      // the token is minted and its outputs set: a summary that cannot be written must not fail the step
      core.warning(`Could not write the job summary (${(error as Error).message}); set 'summary: false' to skip it.`);
    }
  }
};

/** Masks secrets as they appear and remembers them, so no message we print can carry one. */
export class Secrets {
  private readonly known: string[] = [];
  constructor(private readonly runner: Runner) {}

  mask(...values: string[]): void {
    for (const value of values) {
      if (!value || this.known.includes(value)) continue;
      this.runner.setSecret(value);
      this.known.push(value);
    }
  }

  redact(text: string): string {
    return redact(text, this.known);
  }

  /** An error's message, fit to print. */
  messageOf(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }
}

/** One `::error` annotation for a failure; the stack only in debug mode. */
export function reportFailure(runner: Runner, secrets: Secrets, error: unknown): void {
  const known = error instanceof Error && (error.name === 'ActionError' || error.name === 'ApiError');
  runner.setFailed(known ? secrets.messageOf(error) : `Unexpected error: ${secrets.messageOf(error)}`);
  if (runner.isDebug() && error instanceof Error && error.stack) runner.debug(secrets.redact(error.stack));
}
