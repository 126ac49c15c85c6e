// The one bundle both steps load (dist/action/index.cjs). Main's own code (inputs, permissions,
// key parsing, jose) is split into a chunk that only main loads, so post never compiles it.
// The runner starts src/main.cjs or src/post.cjs, which call startMain or startPost here; those
// call the step's run() (src/main.ts, src/post.ts), as @github/local-action does. The token agent,
// git's helper and `app-token` (src/agent.cjs) start through startAgentCommand: their code is
// chunks of this bundle too, sharing Octokit with main, and loaded only by them.
export { run as startPost } from './post.js';

export async function startAgentCommand(argv: readonly string[]): Promise<void> {
  const { runAgent } = await import('./agent-command.js');
  return runAgent(argv);
}

export async function startMain(): Promise<void> {
  const main = await import('./main.js');
  return main.run();
}
