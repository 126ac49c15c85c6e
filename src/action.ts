// The one bundle both steps load (dist/action/index.cjs). Main's own code (inputs, permissions,
// key parsing, jose) is split into a chunk that only main loads, so post never compiles it.
// The runner starts src/main.cjs or src/post.cjs, which call startMain or startPost here; those
// call the step's run() (src/main.ts, src/post.ts), as @github/local-action does.
export { run as startPost } from './post.js';

export async function startMain(): Promise<void> {
  const main = await import('./main.js');
  return main.run();
}
