'use strict';
// The main step's entry, copied to dist/main/index.js. CommonJS, so Node starts it without its
// ESM loader. Node's compile cache goes in the job's temp dir: main compiles the bundle once and
// post (and later runs in the same job) reuse the result.
const { enableCompileCache } = require('node:module');

if (process.env.RUNNER_TEMP && enableCompileCache) enableCompileCache(`${process.env.RUNNER_TEMP}/app-token-compile-cache`);
require('../action/index.cjs').startMain();
