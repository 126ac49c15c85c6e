// Turns the measured samples into figures, budgets, a plain-text report, a Markdown table for
// docs/performance.md and .bench-tmp/results.json.
import { mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, platform, release, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { median, ROOT, spread, TMP, type Spread } from './measure.ts';

export type Who = 'ours' | 'floor';
export type Step = 'main' | 'post';

export interface Sample {
  wallMs: number;
  rssKb: number;
  requests: number;
}

/** samples[step][who][i]: iteration i of each contestant ran back to back (order alternating). */
export type Samples = Record<Step, Record<Who, Sample[]>>;

export const BUDGETS = { mainWall: 1.3, postWall: 1.2, rss: 1.15, distKiB: 600 };
const EXPECTED_REQUESTS: Record<Step, number> = { main: 2, post: 1 };

interface StepFigures {
  wallMs: Record<Who, Spread>;
  /** median over iterations of ours/floor wall time within the same iteration */
  wallRatio: number;
  wallBudget: number;
  rssMiB: Record<Who, Spread>;
  /** ratio of the two medians */
  rssRatio: number;
  requests: Record<Who, number[]>;
}

export function machineLine(nodeVersion: string): string {
  const cpu = cpus();
  const gib = (totalmem() / 2 ** 30).toFixed(1);
  return `machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, ${gib} GiB RAM, ${platform()} ${release()}; Node ${nodeVersion}`;
}

function distFiles(dir = join(ROOT, 'dist')): { path: string; bytes: number }[] {
  const files: { path: string; bytes: number }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...distFiles(path));
    else files.push({ path: relative(ROOT, path), bytes: statSync(path).size });
  }
  return files.sort((a, b) => a.path.localeCompare(b.path));
}

function figures(step: Step, samples: Record<Who, Sample[]>): StepFigures {
  const pick = (who: Who, f: (s: Sample) => number) => samples[who].map(f);
  const wall = { ours: pick('ours', (s) => s.wallMs), floor: pick('floor', (s) => s.wallMs) };
  const rss = { ours: pick('ours', (s) => s.rssKb / 1024), floor: pick('floor', (s) => s.rssKb / 1024) };
  return {
    wallMs: { ours: spread(wall.ours), floor: spread(wall.floor) },
    wallRatio: median(wall.ours.map((ours, i) => ours / wall.floor[i])),
    wallBudget: step === 'main' ? BUDGETS.mainWall : BUDGETS.postWall,
    rssMiB: { ours: spread(rss.ours), floor: spread(rss.floor) },
    rssRatio: median(rss.ours) / median(rss.floor),
    requests: { ours: [...new Set(pick('ours', (s) => s.requests))], floor: [...new Set(pick('floor', (s) => s.requests))] }
  };
}

const verdict = (ok: boolean) => (ok ? 'pass' : 'FAIL');
const fmt = (s: Spread, digits: number) => `${s.median.toFixed(digits)} (p10–p90 ${s.p10.toFixed(digits)}–${s.p90.toFixed(digits)})`;
const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const requestText = (step: Step, counts: number[]) =>
  counts.join('/') + (counts.length === 1 && counts[0] === EXPECTED_REQUESTS[step] ? '' : ` (expected ${EXPECTED_REQUESTS[step]})`);

function table(rows: string[][]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  return rows.map((row) => row.map((cell, c) => cell.padEnd(widths[c])).join('  ').trimEnd()).join('\n');
}

export function report(samples: Samples, info: { runs: number; warmup: number; nodeVersion: string; method: string }): void {
  const steps: Step[] = ['main', 'post'];
  const figs = { main: figures('main', samples.main), post: figures('post', samples.post) };
  const files = distFiles();
  const total = files.reduce((sum, f) => sum + f.bytes, 0);
  const distOk = total <= BUDGETS.distKiB * 1024;

  const rows = [['step', 'figure', 'App Token', 'floor', 'ours/floor', 'budget']];
  for (const step of steps) {
    const f = figs[step];
    const wallOk = f.wallRatio <= f.wallBudget;
    const rssOk = f.rssRatio <= BUDGETS.rss;
    rows.push([step, 'wall ms', fmt(f.wallMs.ours, 1), fmt(f.wallMs.floor, 1), `${f.wallRatio.toFixed(2)}×`, `≤ ${f.wallBudget.toFixed(2)}× ${verdict(wallOk)}`]);
    rows.push([step, 'peak RSS MiB', fmt(f.rssMiB.ours, 1), fmt(f.rssMiB.floor, 1), `${f.rssRatio.toFixed(2)}×`, `≤ ${BUDGETS.rss.toFixed(2)}× ${verdict(rssOk)}`]);
    rows.push([step, 'requests', requestText(step, f.requests.ours), requestText(step, f.requests.floor), '', '']);
  }
  console.log(`\nApp Token bench: ${info.runs} measured runs per step and contestant (after ${info.warmup} warm-up), interleaved`);
  console.log(machineLine(info.nodeVersion));
  console.log(`method: ${info.method}\n`);
  console.log(table(rows));
  console.log('\ndist/ (everything the action ships; main and post share dist/action):');
  console.log(table([...files.map((f) => [`  ${f.path}`, `${f.bytes} B`, kib(f.bytes)]), ['  total', `${total} B`, `${kib(total)}  ≤ ${BUDGETS.distKiB} KiB ${verdict(distOk)}`]]));

  const md = [
    '| Step | Figure | App Token | Floor | Ratio | Budget |',
    '| --- | --- | ---: | ---: | ---: | --- |',
    ...steps.flatMap((step) => {
      const f = figs[step];
      return [
        `| ${step} | wall time (median) | ${f.wallMs.ours.median.toFixed(0)} ms | ${f.wallMs.floor.median.toFixed(0)} ms | ${f.wallRatio.toFixed(2)}× | ≤ ${f.wallBudget.toFixed(2)}× ${f.wallRatio <= f.wallBudget ? '✅' : '❌'} |`,
        `| ${step} | peak RSS (median) | ${f.rssMiB.ours.median.toFixed(1)} MiB | ${f.rssMiB.floor.median.toFixed(1)} MiB | ${f.rssRatio.toFixed(2)}× | ≤ ${BUDGETS.rss.toFixed(2)}× ${f.rssRatio <= BUDGETS.rss ? '✅' : '❌'} |`,
        `| ${step} | requests | ${f.requests.ours.join('/')} | ${f.requests.floor.join('/')} | | |`
      ];
    }),
    `| both | dist/ size | ${kib(total)} | | | ≤ ${BUDGETS.distKiB} KiB ${distOk ? '✅' : '❌'} |`
  ];
  console.log('\nMarkdown:\n');
  console.log(md.join('\n'));
  console.log(`\n_${machineLine(info.nodeVersion)}; ${info.runs} runs each, medians, ratio = median of per-iteration ratios (wall) / of medians (RSS)._`);

  mkdirSync(TMP, { recursive: true });
  const out = join(TMP, 'results.json');
  const json = {
    date: new Date().toISOString(),
    machine: machineLine(info.nodeVersion),
    ...info,
    budgets: BUDGETS,
    steps: Object.fromEntries(steps.map((step) => [step, { ...figs[step], samples: samples[step] }])),
    dist: { files, totalBytes: total, withinBudget: distOk }
  };
  writeFileSync(out, JSON.stringify(json, null, 2) + '\n');
  console.log(`\nresults: ${relative(ROOT, out)}`);
}
