/** What the action needs from the runner, so tests can hand in a recorder instead of @actions/core. */
import * as core from '@actions/core';
import { appendFileSync } from 'node:fs';
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
