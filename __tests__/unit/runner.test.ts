// The adapter to @actions/core: the job summary, which the toolkit leaves to us.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionsRunner } from '../../src/runner.ts';

const saved = process.env['GITHUB_STEP_SUMMARY'];
afterEach(() => {
  if (saved === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
  else process.env['GITHUB_STEP_SUMMARY'] = saved;
  jest.restoreAllMocks();
});

describe('appendSummary', () => {
  it('appends to the file GITHUB_STEP_SUMMARY names', () => {
    const dir = mkdtempSync(join(tmpdir(), 'summary-'));
    try {
      process.env['GITHUB_STEP_SUMMARY'] = join(dir, 'summary.md');
      actionsRunner.appendSummary('one\n');
      actionsRunner.appendSummary('two\n');
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toBe('one\ntwo\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('warns instead of failing when the file cannot be written', () => {
    const out: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    process.env['GITHUB_STEP_SUMMARY'] = '/nonexistent-dir/summary.md';
    expect(() => actionsRunner.appendSummary('x')).not.toThrow();
    expect(out.join('')).toMatch(/^::warning::Could not write the job summary \(.*ENOENT.*\); set 'summary: false' to skip it\./m);
  });
});
