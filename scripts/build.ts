// `npm run build`: one ncc bundle shared by both steps and the token agent, plus the tiny entries.
//   dist/action/index.cjs       src/action.cjs → src/action.ts, bundled and minified (startMain, startPost, startAgentCommand)
//   dist/action/*.index.cjs.js  chunks loaded only when needed (main's own code; the agent's; the proxy stack)
//   dist/main/index.js          src/main.cjs, requiring the bundle
//   dist/post/index.js          src/post.cjs, requiring the bundle
//   dist/agent/index.js         src/agent.cjs, requiring the bundle: the token agent, git's helper and `app-token`
// All CommonJS: Node loads it without its ESM loader. The sources are ES modules (ncc converts).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const root = new URL('..', import.meta.url).pathname;
// Built aside and swapped in at the end, so a test running dist/ meanwhile never sees half of it.
const dist = join(root, '.dist-build');
const commonjs = '{"type":"commonjs"}\n';
rmSync(dist, { recursive: true, force: true });
execFileSync(join(root, 'node_modules/.bin/ncc'), ['build', 'src/action.cjs', '-o', '.dist-build/action', '-m', '--no-source-map-register', '-q'], {
  cwd: root,
  stdio: 'inherit'
});
// The chunks end in .js: without this, the repository's "type": "module" would make them ESM.
writeFileSync(join(dist, 'action', 'package.json'), commonjs);

// ncc minifies the entry file but not the chunks it splits off.
for (const file of readdirSync(join(dist, 'action'))) {
  if (!/^\d+\.index\.cjs\.js$/.test(file)) continue;
  const path = join(dist, 'action', file);
  const result = await minify(readFileSync(path, 'utf8'), { compress: true, mangle: true, format: { comments: false } });
  writeFileSync(path, result.code ?? '');
}

for (const step of ['main', 'post', 'agent']) {
  const source = readFileSync(join(root, 'src', `${step}.cjs`), 'utf8');
  const entry = source.replace("require('./action.cjs')", "require('../action/index.cjs')");
  if (entry === source) throw new Error(`src/${step}.cjs must require('./action.cjs')`);
  mkdirSync(join(dist, step), { recursive: true });
  writeFileSync(join(dist, step, 'index.js'), entry);
  writeFileSync(join(dist, step, 'package.json'), commonjs);
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(dist, join(root, 'dist'));
