/** The main step's entry: `run()`, as GitHub's `@github/local-action` and the bundle call it. */
import { runMain } from './run-main.js';
import type { StepDeps } from './steps.js';

export function run(deps?: StepDeps): Promise<void> {
  return runMain(deps);
}
