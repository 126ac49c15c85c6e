'use strict';
// The post step's entry, copied to dist/post/index.js: see src/main.cjs.
const { enableCompileCache } = require('node:module');

if (process.env.RUNNER_TEMP && enableCompileCache) enableCompileCache(`${process.env.RUNNER_TEMP}/app-token-compile-cache`);
require('../action/index.cjs').startPost();
