// The one bundle both steps load (dist/action/index.js). Main's own code (inputs, permissions,
// key parsing, jose) is split into a chunk that only main loads, so post never compiles it.
import type { StepDeps } from './steps.js';

export { runPost } from './run-post.js';

export async function runMain(deps?: StepDeps): Promise<void> {
  const main = await import('./run-main.js');
  return main.runMain(deps);
}
