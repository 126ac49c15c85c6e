// Every message the README's Troubleshooting table quotes is one the source can print.
// A quoted `…` stands for a varying part: inside a quote it must be a ${…} substitution in the
// source, at either end it may be anything.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/runner.ts';

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : /\.(ts|cjs)$/.test(entry.name) ? [join(dir, entry.name)] : []
  );
}
const source = sourceFiles(join(ROOT, 'src'))
  .map((file) => readFileSync(file, 'utf8'))
  .join('\n');

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `quote` (with … for the varying parts) occurs in `text`. */
function quotedIn(quote: string, text: string): boolean {
  const pattern = quote.split('…').map(escape).join('\\$\\{[^\\n]*?\\}');
  return new RegExp(pattern).test(text);
}

/** The quoted messages of each row: the code spans of the first column. */
function rows(readme: string): { row: string; quotes: string[] }[] {
  const section = readme.slice(readme.indexOf('\n## Troubleshooting'), readme.indexOf('\n## ', readme.indexOf('\n## Troubleshooting') + 1));
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ') && !line.startsWith('| Message') && !line.startsWith('| ---'))
    .map((line) => {
      const first = line.slice(2, line.indexOf(' | ', 2));
      return { row: first, quotes: [...first.matchAll(/`([^`]+)`/g)].map((m) => (m[1] ?? '').replace(/\\\|/g, '|')) };
    });
}

const table = rows(readFileSync(join(ROOT, 'README.md'), 'utf8'));

describe("README's Troubleshooting table", () => {
  it('has rows, each quoting at least one message', () => {
    expect(table.length).toBeGreaterThan(20);
    for (const { row, quotes } of table) expect({ row, quotes: quotes.length > 0 }).toEqual({ row, quotes: true });
  });

  it.each(table.map(({ row, quotes }) => [row, quotes] as const))('%s', (_row, quotes) => {
    for (const quote of quotes) expect({ quote, inSource: quotedIn(quote, source) }).toEqual({ quote, inSource: true });
  });

  it('tells a substitution from text the source really prints', () => {
    const src = 'fail(\'has no "-----BEGIN ... PRIVATE KEY-----" line\'); `The app is not installed on ${owner}/${repo} (or cannot see it)`';
    expect(quotedIn('has no "-----BEGIN ... PRIVATE KEY-----" line', src)).toBe(true);
    expect(quotedIn('has no "-----BEGIN … PRIVATE KEY-----" line', src)).toBe(false);
    expect(quotedIn('The app is not installed on …/… (or cannot see it)', src)).toBe(true);
    expect(quotedIn('The app is not installed on owner/repo', src)).toBe(false);
    expect(quotedIn('… (or cannot see it)', src)).toBe(true);
  });
});
