'use strict';
// The token agent's entry, copied to dist/agent/index.js (see src/agent-command.ts): CommonJS,
// requiring the action's bundle like the step entries.
require('../action/index.cjs')
  .startAgentCommand(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`app-token: unexpected error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
