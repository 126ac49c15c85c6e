// Reads a V8 .cpuprofile (written by node --cpu-prof) and prints where the self time went,
// summed by script URL and by function.
import { readFileSync } from 'node:fs';
import { ROOT } from './measure.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface CpuProfile {
  nodes: { id: number; callFrame: CallFrame }[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

function shortUrl(frame: CallFrame): string {
  if (!frame.url) return `(${frame.functionName.replace(/^\(|\)$/g, '') || 'native'})`;
  return frame.url.replace(`file://${ROOT}/`, '');
}

function top(totals: Map<string, number>, count: number, totalUs: number, runs: number): string[] {
  return [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([name, us]) => `${(us / 1000 / runs).toFixed(1).padStart(7)} ms ${((100 * us) / totalUs).toFixed(1).padStart(5)}%  ${name}`);
}

/**
 * Sums self time over one or more profiles. Each sample counts for the profile's duration divided
 * by its sample count: the gaps in timeDeltas (sampler thread starved) are not pinned on one frame.
 */
export function printProfile(files: string[], count = 15): void {
  const byUrl = new Map<string, number>();
  const byFunction = new Map<string, number>();
  const add = (map: Map<string, number>, key: string, us: number) => map.set(key, (map.get(key) ?? 0) + us);
  let totalUs = 0;
  let samples = 0;
  for (const file of files) {
    const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
    const frames = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
    const usPerSample = (profile.endTime - profile.startTime) / Math.max(1, profile.samples.length);
    totalUs += profile.endTime - profile.startTime;
    samples += profile.samples.length;
    for (const id of profile.samples) {
      const frame = frames.get(id);
      if (!frame) continue;
      const url = shortUrl(frame);
      add(byUrl, url, usPerSample);
      const where = frame.url ? ` ${url}:${frame.lineNumber + 1}:${frame.columnNumber + 1}` : '';
      add(byFunction, `${frame.functionName || '(anonymous)'}${where}`, usPerSample);
    }
  }
  const runs = files.length;
  console.log(`\nCPU profile of our main step, ${runs} run${runs === 1 ? '' : 's'}: ${(totalUs / 1000 / runs).toFixed(1)} ms profiled per run (${samples} samples in all); ms below are per run`);
  console.log('The profiler starts once Node has bootstrapped: process start-up before that is not in here.\n');
  console.log('Self time by script:');
  console.log(top(byUrl, count, totalUs, runs).join('\n'));
  console.log('\nSelf time by function (bundle positions are line:column of the minified dist file):');
  console.log(top(byFunction, count, totalUs, runs).join('\n'));
}
