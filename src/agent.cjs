'use strict';
// The agent bundle's entry, built to dist/agent/index.cjs: see src/agent-command.ts.
require('./agent-command.ts')
  .runAgent(process.argv.slice(2))
  .catch((error) => {
    process.stderr.write(`app-token: unexpected error: ${error && error.message ? error.message : String(error)}\n`);
    process.exitCode = 1;
  });
