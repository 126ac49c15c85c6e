// The README is the user's manual: at most 500 lines, and every relative link in it, in docs/ and
// in the other Markdown files a user is sent to, leads to a file of the repository (and to a
// heading there, when it names one).
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { ROOT } from '../support/runner.ts';

const MAX_README_LINES = 500;

/** Files of the repository: tracked, or new and not ignored. */
const repositoryFiles = new Set(
  execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter(Boolean)
);
const repositoryDirs = new Set([...repositoryFiles].flatMap((file) => file.split('/').slice(0, -1).map((_, i, parts) => parts.slice(0, i + 1).join('/'))));

const DOCUMENTS = ['README.md', 'CONTRIBUTING.md', 'SECURITY.md', 'CHANGELOG.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function anchorOf(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors of a Markdown file's headings (outside code blocks), with GitHub's -1, -2 for repeats. */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  let fenced = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const heading = fenced ? null : /^#{1,6}\s+(.*)$/.exec(line);
    if (!heading) continue;
    const base = anchorOf(heading[1] ?? '');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The relative link targets of a Markdown file (not URLs), outside code blocks and code spans. */
function relativeLinks(markdown: string): { line: number; target: string }[] {
  const links: { line: number; target: string }[] = [];
  let fenced = false;
  markdown.split('\n').forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    if (fenced) return;
    const prose = line.replace(/`[^`]*`/g, '');
    for (const m of prose.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)|^\[[^\]]+\]:\s*(\S+)/g)) {
      const target = m[1] ?? m[2] ?? '';
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) links.push({ line: i + 1, target });
    }
  });
  return links;
}

/** Why a link from `file` does not resolve, or undefined when it does. */
function brokenLink(file: string, target: string): string | undefined {
  const [path = '', anchor] = target.split('#');
  const resolved = path === '' ? file : normalize(join(dirname(file), decodeURIComponent(path))).replace(/\\/g, '/').replace(/\/$/, '');
  if (resolved.startsWith('..') || relative(ROOT, join(ROOT, resolved)).startsWith('..')) return 'leaves the repository';
  if (!repositoryFiles.has(resolved) && !repositoryDirs.has(resolved)) return `no file ${resolved} in the repository`;
  if (anchor && resolved.endsWith('.md') && !anchors(readFileSync(join(ROOT, resolved), 'utf8')).has(anchor)) return `no heading #${anchor} in ${resolved}`;
  return undefined;
}

describe('the README', () => {
  it(`is at most ${MAX_README_LINES} lines`, () => {
    const lines = readFileSync(join(ROOT, 'README.md'), 'utf8').trimEnd().split('\n').length;
    expect(lines).toBeLessThanOrEqual(MAX_README_LINES);
  });
});

describe.each(DOCUMENTS)('relative links in %s', (file) => {
  const links = relativeLinks(readFileSync(join(ROOT, file), 'utf8'));

  it('each resolve to a file of the repository (and a heading in it, when one is named)', () => {
    const broken = links.map(({ line, target }) => ({ where: `${file}:${line}`, target, why: brokenLink(file, target) })).filter((l) => l.why);
    expect(broken).toEqual([]);
  });
});

describe('the link check', () => {
  it('sees the README link to docs/ and to its own headings', () => {
    const targets = relativeLinks(readFileSync(join(ROOT, 'README.md'), 'utf8')).map((l) => l.target);
    expect(targets).toEqual(expect.arrayContaining(['docs/design.md', 'docs/performance.md', 'CONTRIBUTING.md', '#inputs']));
  });

  it('reports a missing file, a missing heading and a link out of the repository; ignores URLs and code', () => {
    const doc = [
      '# Title',
      'See [a](docs/nothing.md), [b](#no-such-heading), [c](../outside.md), [d](https://example.com/x.md), [e](#inputs), [f](CONTRIBUTING.md#set-up-two-commands).',
      '`[g](not-a-link.md)`',
      '```',
      '[h](also-not.md)',
      '```',
      '[ref]: SECURITY.md'
    ].join('\n');
    const links = relativeLinks(doc);
    expect(links.map((l) => l.target)).toEqual(['docs/nothing.md', '#no-such-heading', '../outside.md', '#inputs', 'CONTRIBUTING.md#set-up-two-commands', 'SECURITY.md']);
    expect(links.map((l) => brokenLink('README.md', l.target))).toEqual([
      'no file docs/nothing.md in the repository',
      'no heading #no-such-heading in README.md',
      'leaves the repository',
      undefined,
      undefined,
      undefined
    ]);
  });

  it("makes GitHub's anchors", () => {
    expect(anchorOf('Sign the JWT in a KMS (app-jwt)')).toBe('sign-the-jwt-in-a-kms-app-jwt');
    expect(anchorOf('Moving from actions/create-github-app-token')).toBe('moving-from-actionscreate-github-app-token');
    expect([...anchors('# A\n## A\n```\n# B\n```\n')]).toEqual(['a', 'a-1']);
  });
});
