// The post step's entry (copied to dist/post/index.js): see src/main.ts for the compile cache.
import module from 'node:module';

if (process.env['RUNNER_TEMP']) module.enableCompileCache?.(`${process.env['RUNNER_TEMP']}/app-token-compile-cache`);
const { runPost } = await import('../action/index.js');
await runPost();
