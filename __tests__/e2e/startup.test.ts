// The happy path evaluates only what it uses, and sends no more requests than it must.
import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { ROOT } from '../support/runner.ts';
import { routes, useFakeGitHub } from '../support/scenario.ts';

const s = useFakeGitHub();

function probe(): { env: Record<string, string>; builtins: () => string[] } {
  const file = join(mkdtempSync(join(tmpdir(), 'probe-')), 'builtins.json');
  return {
    env: { NODE_OPTIONS: `--require ${join(ROOT, '__tests__/support/load-probe.cjs')}`, LOAD_PROBE_FILE: file },
    builtins: () => JSON.parse(readFileSync(file, 'utf8')) as string[]
  };
}

describe('the happy path', () => {
  it('main sends exactly 2 requests and post 1, with no retry', async () => {
    const { main, post } = await s.run();
    expect(main.code).toBe(0);
    expect(post.code).toBe(0);
    expect(routes(s.gh)).toEqual(['GET /repos/octo-org/app-token/installation', 'POST /app/installations/1001/access_tokens', 'DELETE /installation/token']);
    expect(main.stdout).not.toMatch(/trying again/);
  });

  it('main with installation-id sends 1 request', async () => {
    await s.main({ 'installation-id': '1001' });
    expect(routes(s.gh)).toEqual(['POST /app/installations/1001/access_tokens']);
  });

  it('does not load the process, assertion or proxy stacks it never uses', async () => {
    const p = probe();
    const main = await s.main({}, p.env);
    expect(main.code).toBe(0);
    const loaded = p.builtins();
    expect(loaded).toContain('crypto');
    for (const unused of ['child_process', 'assert', 'dgram', 'tls', 'http2']) expect(loaded).not.toContain(unused);
  });

  it('post loads its entry and the shared bundle, none of the chunks main loads', async () => {
    const files = (step: string) => {
      const p = probe();
      const modules = join(mkdtempSync(join(tmpdir(), 'probe-')), `${step}-modules.json`);
      return { env: { ...p.env, LOAD_PROBE_MODULES: modules }, loaded: () => (JSON.parse(readFileSync(modules, 'utf8')) as string[]).map((f) => relative(ROOT, f).replace(/\\/g, '/')) };
    };
    const m = files('main');
    const main = await s.main({}, m.env);
    const p = files('post');
    const post = await s.post({ state: main.state, env: p.env });
    expect(post.stdout).toContain('Token revoked.');
    const chunk = (f: string) => /^dist\/action\/\d+\.index\.cjs\.js$/.test(f);
    expect(m.loaded().filter(chunk).length).toBeGreaterThan(0);
    expect(p.loaded().filter((f) => f.startsWith('dist/')).sort()).toEqual(['dist/action/index.cjs', 'dist/post/index.js']);
  });
});
