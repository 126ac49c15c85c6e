/** The post step's entry: `run()`, as GitHub's `@github/local-action` and the bundle call it. */
import { runPost } from './run-post.js';
import type { StepDeps } from './steps.js';

export function run(deps?: StepDeps): Promise<void> {
  return runPost(deps);
}
