/**
 * The agent's commands (dist/agent/index.js starts them through action.ts): `serve` is the long-lived agent main starts;
 * `credential <dir> get|store|erase` is git's helper and `token <dir> [...]` the `app-token`
 * command. Each loads only its own code: the helper starts once per git request.
 */
export async function runAgent(argv: readonly string[]): Promise<void> {
  const [command = '', dir = '', ...rest] = argv;
  if (command === 'serve') {
    const { serveAgent } = await import('./agent-server.js');
    await serveAgent();
    return;
  }
  if ((command === 'credential' || command === 'token') && dir) {
    const { runClient } = await import('./agent-client.js');
    process.exitCode = await runClient(command, dir, rest);
    return;
  }
  process.stderr.write('app-token: this is the App Token agent; later steps run it as app-token or through git.\n');
  process.exitCode = 2;
}
