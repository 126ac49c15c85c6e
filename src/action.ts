// The one bundle both steps load (dist/action/index.cjs). Main's own code (inputs, permissions,
// key parsing, jose) is split into a chunk that only main loads, so post never compiles it.
// The step entries are src/main.ts and src/post.ts (each exports `run()`); src/main.cjs and
// src/post.cjs call them through this file.
import type { StepDeps } from './steps.js';

export { run as runPost } from './post.js';

export async function runMain(deps?: StepDeps): Promise<void> {
  const main = await import('./main.js');
  return main.run(deps);
}
