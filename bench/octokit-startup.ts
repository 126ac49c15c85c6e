// `npm run bench:client [-- --runs N]`: what the client library costs a step at start-up. Bundles
// minimal programs with ncc (as the action is bundled), then times each as its own Node 24 process,
// interleaved, against a local HTTP server, next to an empty-program floor:
//   empty           an empty CommonJS file (Node's own start-up)
//   @octokit/core   new Octokit({ auth, baseUrl }), then with .request('GET /repos/{owner}/{repo}')
//   getOctokit      @actions/github's getOctokit(token, { baseUrl }), then with .rest.repos.get(...)
//   undici          only `import 'undici'` (what @actions/github loads at import for its proxy fetch)
// and getOctokit with undici and @actions/http-client stood in for (tsconfig "paths") and a
// node:http fetch passed in: what using @actions/github at run time could cost.
// Wall time is spawn() to exit; figures are medians of --runs (default 30) after 3 warm-ups.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { median, NODE24, ROOT, TMP } from './measure.ts';

interface Program {
  imports: string;
  /** Body of its async run(). */
  body: string;
  /** Requests one run sends (checked). */
  requests: number;
  /** Module name → source of an ES module bundled in its place (tsconfig "paths", as src/vendor/ does). */
  aliases?: Record<string, string>;
}

// The smallest fetch @octokit/request accepts, over node:http, as src/http.ts does.
const NODE_HTTP_FETCH = `const fetch = (url, init) => new Promise((resolve, reject) => {
    const req = request(url, { method: init.method, headers: init.headers }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, url, body: null, headers: new Map(Object.entries(res.headers)), text: async () => text, json: async () => JSON.parse(text) });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });`;

// What @actions/github imports at load time for its proxy-aware fetch, stood in for (no proxy).
const NO_UNDICI = {
  undici: "export function fetch() { throw new Error('undici is not bundled'); }\n",
  '@actions/http-client': 'export class HttpClient { getAgent() {} getAgentDispatcher() {} }\n'
};

/** Each program, by the name the table shows. */
const PROGRAMS: Record<string, Program> = {
  empty: { imports: '', body: '', requests: 0 },
  '@octokit/core, import': {
    imports: "import { Octokit } from '@octokit/core';",
    body: "new Octokit({ auth: 'ghs_bench', baseUrl: process.env.BENCH_URL });",
    requests: 0
  },
  '@octokit/core, one request': {
    imports: "import { Octokit } from '@octokit/core';",
    body: `const octokit = new Octokit({ auth: 'ghs_bench', baseUrl: process.env.BENCH_URL });
  await octokit.request('GET /repos/{owner}/{repo}', { owner: 'octo-org', repo: 'api' });`,
    requests: 1
  },
  '@octokit/core, one request over node:http': {
    imports: "import { Octokit } from '@octokit/core';\nimport { request } from 'node:http';",
    body: `${NODE_HTTP_FETCH}
  const octokit = new Octokit({ auth: 'ghs_bench', baseUrl: process.env.BENCH_URL, request: { fetch } });
  await octokit.request('GET /repos/{owner}/{repo}', { owner: 'octo-org', repo: 'api' });`,
    requests: 1
  },
  'getOctokit, import': {
    imports: "import { getOctokit } from '@actions/github';",
    body: "getOctokit('ghs_bench', { baseUrl: process.env.BENCH_URL });",
    requests: 0
  },
  'getOctokit, one request': {
    imports: "import { getOctokit } from '@actions/github';",
    body: `const octokit = getOctokit('ghs_bench', { baseUrl: process.env.BENCH_URL });
  await octokit.rest.repos.get({ owner: 'octo-org', repo: 'api' });`,
    requests: 1
  },
  'getOctokit, one request over node:http, undici and http-client stood in for': {
    imports: "import { getOctokit } from '@actions/github';\nimport { request } from 'node:http';",
    body: `${NODE_HTTP_FETCH}
  const octokit = getOctokit('ghs_bench', { baseUrl: process.env.BENCH_URL, request: { fetch } });
  await octokit.rest.repos.get({ owner: 'octo-org', repo: 'api' });`,
    requests: 1,
    aliases: NO_UNDICI
  },
  'undici, import': { imports: "import 'undici';", body: '', requests: 0 }
};

function parseRuns(argv: string[]): number {
  const at = argv.indexOf('--runs');
  const runs = Number(at >= 0 ? argv[at + 1] : (process.env.BENCH_RUNS ?? '30'));
  if (!Number.isInteger(runs) || runs < 1) throw new Error('--runs / BENCH_RUNS must be a positive whole number');
  return runs;
}

/**
 * ncc-bundles one program into CommonJS, as the action is built (a .cjs entry requiring the ES
 * module), at `<dir>/<name>/out/index.cjs`; the floor is an empty .cjs file.
 */
function bundle(dir: string, name: string, program: Program): string {
  const base = join(dir, name.replace(/\W+/g, '-'));
  mkdirSync(join(base, 'out'), { recursive: true });
  const paths: Record<string, string[]> = {};
  for (const [i, [module, source]] of Object.entries(program.aliases ?? {}).entries()) {
    writeFileSync(join(base, `alias-${i}.mjs`), source);
    paths[module] = [`./alias-${i}.mjs`];
  }
  writeFileSync(join(base, 'tsconfig.json'), JSON.stringify({ compilerOptions: { baseUrl: '.', paths } }));
  const out = join(base, 'out', 'index.cjs');
  if (program.imports === '') {
    writeFileSync(out, '');
    return out;
  }
  writeFileSync(join(base, 'program.mjs'), `${program.imports}\nexport async function run() {\n  ${program.body}\n}\n`);
  writeFileSync(join(base, 'entry.cjs'), "require('./program.mjs').run().catch((error) => {\n  console.error(error);\n  process.exitCode = 1;\n});\n");
  execFileSync(join(ROOT, 'node_modules/.bin/ncc'), ['build', 'entry.cjs', '-o', 'build', '-m', '-q', '--no-source-map-register'], { cwd: base, stdio: 'inherit' });
  const built = readdirSync(join(base, 'build'));
  if (built.length !== 1) throw new Error(`ncc split ${name} into ${built.join(', ')}; expected one file`);
  renameSync(join(base, 'build', built[0]), out);
  writeFileSync(join(base, 'out', 'package.json'), '{"type":"commonjs"}\n');
  return out;
}

function timeOnce(script: string, env: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(NODE24, [script], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    const err: Buffer[] = [];
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const ms = performance.now() - started;
      if (code === 0) resolve(ms);
      else reject(new Error(`${script} exited ${code}: ${Buffer.concat(err).toString('utf8')}`));
    });
  });
}

/** Times every bundled program, interleaved; medians by program name. */
async function measure(scripts: Record<string, string>, runs: number): Promise<Record<string, number>> {
  let requests = 0;
  const server = createServer((req, res) => {
    requests++;
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('{"id":1,"full_name":"octo-org/api"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', BENCH_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  const names = Object.keys(scripts);
  const samples: Record<string, number[]> = Object.fromEntries(names.map((name) => [name, []]));
  try {
    for (let round = 0; round < 3 + runs; round++) {
      // rotate the order each round so drift and cache effects hit every program alike
      const order = names.map((_, i) => names[(i + round) % names.length]);
      for (const name of order) {
        const ms = await timeOnce(scripts[name], env);
        if (round >= 3) samples[name].push(ms);
      }
    }
  } finally {
    server.close();
  }
  const expected = (3 + runs) * Object.values(PROGRAMS).reduce((sum, program) => sum + program.requests, 0);
  if (requests !== expected) throw new Error(`expected ${expected} requests (one per client run), got ${requests}`);
  return Object.fromEntries(names.map((name) => [name, median(samples[name])]));
}

const runs = parseRuns(process.argv.slice(2));
mkdirSync(TMP, { recursive: true });
const dir = mkdtempSync(join(TMP, 'client-'));
try {
  // Inside the repository tree, so the packages resolve from its node_modules; each program has a
  // tsconfig of its own (its "paths"), so ncc does not apply the repository's.
  const scripts = Object.fromEntries(Object.entries(PROGRAMS).map(([name, source]) => [name, bundle(dir, name, source)]));
  const medians = await measure(scripts, runs);
  const floor = medians.empty;
  const kib = (path: string): string => (statSync(path).size === 0 ? '' : `${(statSync(path).size / 1024).toFixed(0)} KiB`);
  console.log(`Node ${execFileSync(NODE24, ['--version'], { encoding: 'utf8' }).trim()}, ${runs} runs each (after 3 warm-ups), interleaved; medians, wall time spawn to exit\n`);
  console.log('| Program | Bundle | Wall time | Above empty node |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [name, ms] of Object.entries(medians)) {
    console.log(`| ${name} | ${kib(scripts[name])} | ${ms.toFixed(0)} ms | ${name === 'empty' ? '' : `+${(ms - floor).toFixed(0)} ms`} |`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
