// Preloaded into a step (NODE_OPTIONS=--require) to record which Node built-ins it loaded, and
// (with LOAD_PROBE_MODULES) which CommonJS files: the entry, the bundle and any chunk.
const { writeFileSync } = require('node:fs');

process.on('exit', () => {
  const builtins = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice('NativeModule '.length));
  writeFileSync(process.env.LOAD_PROBE_FILE, JSON.stringify(builtins));
  if (process.env.LOAD_PROBE_MODULES) writeFileSync(process.env.LOAD_PROBE_MODULES, JSON.stringify(Object.keys(require.cache)));
});
