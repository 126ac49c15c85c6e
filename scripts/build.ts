// `npm run build`: one ncc bundle shared by both steps, plus the two tiny entries the runner starts.
//   dist/action/index.js   src/action.ts bundled and minified (exports runMain, runPost)
//   dist/action/*.index.js chunks loaded only when needed (the proxy stack), minified too
//   dist/main/index.js     src/main.ts, importing the bundle
//   dist/post/index.js     src/post.ts, importing the bundle
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const root = new URL('..', import.meta.url).pathname;
// Built aside and swapped in at the end, so a test running dist/ meanwhile never sees half of it.
const dist = join(root, '.dist-build');
rmSync(dist, { recursive: true, force: true });
execFileSync(join(root, 'node_modules/.bin/ncc'), ['build', 'src/action.ts', '-o', '.dist-build/action', '-m', '--no-source-map-register', '-q'], {
  cwd: root,
  stdio: 'inherit'
});

// ncc minifies the entry file but not the chunks it splits off.
for (const file of readdirSync(join(dist, 'action'))) {
  if (!/^\d+\.index\.js$/.test(file)) continue;
  const path = join(dist, 'action', file);
  const result = await minify(readFileSync(path, 'utf8'), { module: true, compress: true, mangle: true, format: { comments: false } });
  writeFileSync(path, result.code ?? '');
}

for (const step of ['main', 'post']) {
  const source = readFileSync(join(root, 'src', `${step}.ts`), 'utf8');
  const entry = source.replace("import('./action.js')", "import('../action/index.js')");
  if (entry === source) throw new Error(`src/${step}.ts must import('./action.js')`);
  mkdirSync(join(dist, step), { recursive: true });
  writeFileSync(join(dist, step, 'index.js'), entry);
  writeFileSync(join(dist, step, 'package.json'), '{"type":"module"}\n');
}

rmSync(join(root, 'dist'), { recursive: true, force: true });
renameSync(dist, join(root, 'dist'));
