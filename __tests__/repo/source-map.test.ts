// docs/design.md's source map stays true: every file under src/ has its own line, in the order the
// data flows, and the map names no file that does not exist.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ROOT } from '../support/runner.ts';

/** The `src/…` paths the map's code block names, one per line, in order. */
export function mappedFiles(design: string): string[] {
  const section = design.split(/^## /m).find((part) => part.startsWith('Source files')) ?? '';
  const block = /```\n([\s\S]*?)```/.exec(section)?.[1] ?? '';
  return block
    .split('\n')
    .map((line) => /^(src\/\S+)\s{2,}\S/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [relative(ROOT, join(dir, entry.name))]));
}

describe("docs/design.md's source map", () => {
  const mapped = mappedFiles(readFileSync(join(ROOT, 'docs', 'design.md'), 'utf8'));
  const files = filesUnder(join(ROOT, 'src')).sort();

  it('names every file under src/, each on a line of its own', () => {
    expect(files.filter((file) => !mapped.includes(file))).toEqual([]);
    expect(mapped.filter((file, i) => mapped.indexOf(file) !== i)).toEqual([]);
  });

  it('names no file that does not exist', () => {
    expect(mapped.filter((file) => !files.includes(file))).toEqual([]);
  });

  it('reads the map as the test expects: a src/ line is a path, two spaces, then what it does', () => {
    expect(mappedFiles('## Source files\n\n```\nsrc/a.ts    does a\nsrc/b.ts does b\nnot/src.ts  no\n```\n## Next\n```\nsrc/c.ts  no\n```\n')).toEqual(['src/a.ts']);
  });
});
