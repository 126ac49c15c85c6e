// Preloaded into every benchmarked step with NODE_OPTIONS=--require (ours and the floor alike):
// when the process exits, writes its peak resident set size (kB, from getrusage) to BENCH_RSS_FILE.
'use strict';
const { writeFileSync } = require('node:fs');

const file = process.env.BENCH_RSS_FILE;
delete process.env.BENCH_RSS_FILE; // so a child process the step may start cannot overwrite it
if (file) {
  process.on('exit', () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
}
