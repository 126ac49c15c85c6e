// The main step's entry (copied to dist/main/index.js). Node's compile cache goes in the job's
// temp dir: main compiles the bundle once, post and later runs in the job reuse the result.
import module from 'node:module';

if (process.env['RUNNER_TEMP']) module.enableCompileCache?.(`${process.env['RUNNER_TEMP']}/app-token-compile-cache`);
const { runMain } = await import('./action.js');
await runMain();
