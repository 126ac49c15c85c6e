// Preloaded into a step (NODE_OPTIONS=--require) to record its peak resident memory, in bytes.
const { writeFileSync } = require('node:fs');

process.on('exit', () => writeFileSync(process.env.RSS_PROBE_FILE, String(process.resourceUsage().maxRSS * 1024)));
