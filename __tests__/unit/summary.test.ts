// The scope line and the job summary, with server text in them.
import { describe, expect, it } from '@jest/globals';
import { scopeLine, scopeMarkdown } from '../../src/summary.ts';

describe('scopeLine and scopeMarkdown', () => {
  it('say what was not looked up, and escape what was', () => {
    const token = { token: 'ghs_x', expiresAt: '2030-01-01T00:00:00Z', permissions: {}, repositories: [] };
    const bare = { installation: { id: 7, appSlug: '', account: '' }, token };
    expect(scopeLine(bare)).toBe('Token for the app, installation 7; repositories: all; permissions: none listed; expires at 2030-01-01T00:00:00Z.');
    expect(scopeMarkdown(bare)).toContain('| App | (not looked up) |');
    expect(scopeMarkdown(bare)).toContain('| Account | (not looked up) |');
    const hostile = { installation: { id: 7, appSlug: 'a|b', account: '<b>x\n::y' }, token: { ...token, repositories: ['r'], permissions: { issues: 'write' } } };
    expect(scopeMarkdown(hostile)).toContain('| App | a\\|b |');
    expect(scopeMarkdown(hostile)).toContain('| Account | &lt;b>x\\\\n::y |');
    // GFM splits a row at each '|' not escaped by a backslash that is itself not escaped
    const cells = (row: string) => row.slice(1, -1).match(/(?:\\.|[^|\\])+/g) ?? [];
    const sly = scopeMarkdown({ installation: { id: 7, appSlug: 'a\\|b', account: 'c\\' }, token });
    const rows = sly.split('\n').filter((l) => l.startsWith('| App') || l.startsWith('| Account'));
    expect(rows.map((row) => cells(row.trim()).length)).toEqual([2, 2]);
  });
});
