// The scope line and the job summary, with server text in them.
import { describe, expect, it } from '@jest/globals';
import { markdownValue, MAX_LISTED, MAX_SUMMARY_BYTES, scopeLine, scopeMarkdown, type Scope } from '../../src/summary.ts';

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

const scope = (over: Partial<Scope['token']> = {}, installation: Partial<Scope['installation']> = {}): Scope => ({
  installation: { id: 1001, appSlug: 'my-app', account: 'octo-org', ...installation },
  token: { token: 'ghs_x', expiresAt: '2026-11-21T11:00:00Z', permissions: { contents: 'read' }, repositories: ['api', 'web'], ...over }
});

describe('markdownValue', () => {
  it.each([
    ['![track](https://evil.example/pixel.png)', '\\!\\[track\\](https:\\/\\/evil.example/pixel.png)'],
    ['[Re-run here](https://evil.example/phish)', '\\[Re-run here\\](https:\\/\\/evil.example/phish)'],
    ['https://evil.example/x', 'https:\\/\\/evil.example/x'],
    ['www.evil.example', 'www\\.evil.example'],
    ['WWW.evil.example', 'WWW\\.evil.example'],
    ['someone@evil.example', 'someone\\@evil.example'],
    ['<img src=x>', '&lt;img src=x>'],
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\\\\\|b'],
    ['\\[x]', '\\\\\\[x\\]'],
    ['##[add-mask]x', '#\\\\u0023\\[add-mask\\]x'],
    ['line\n| x | y |', 'line\\\\n\\| x \\| y \\|']
  ])('neutralises %j', (value, expected) => {
    expect(markdownValue(value, 200)).toBe(expected);
  });

  it('leaves what GitHub sends readable', () => {
    expect(markdownValue('2026-11-21T11:00:00Z', 40)).toBe('2026-11-21T11:00:00Z');
    expect(markdownValue('octo-org', 100)).toBe('octo-org');
  });
});

describe('the scope in the log and the summary', () => {
  it('lists the first 50 repositories and permissions, then how many more', () => {
    const repositories = Array.from({ length: 120 }, (_, i) => `repo-${i}`);
    const permissions = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`perm_${i}`, 'read']));
    const line = scopeLine(scope({ repositories, permissions }));
    expect(line).toContain(`repo-${MAX_LISTED - 1} … and 70 more;`);
    expect(line).not.toContain(`repo-${MAX_LISTED},`);
    expect(line).toContain(`perm_49: read … and 10 more;`);
    const markdown = scopeMarkdown(scope({ repositories, permissions }));
    expect(markdown).toContain('| Repositories | repo-0, repo-1,');
    expect(markdown).toContain('repo-49 … and 70 more |');
    expect(markdown).toContain('perm_49: read … and 10 more |');
  });

  it('stays bounded whatever the server sent: worst-case values and lists', () => {
    // every character escaped to its longest form, every value at its cut, the longest lists
    const worst = '\u{1f600}|'.repeat(200);
    const repositories = Array.from({ length: 100_000 }, () => worst);
    const permissions = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`${worst}${i}`, worst]));
    const big = scope({ repositories, permissions, expiresAt: worst }, { appSlug: worst, account: worst });
    const markdown = scopeMarkdown(big);
    expect(Buffer.byteLength(markdown)).toBeLessThan(MAX_SUMMARY_BYTES);
    expect(MAX_SUMMARY_BYTES).toBeLessThan(1024 * 1024);
    expect(scopeLine(big).length).toBeLessThan(MAX_SUMMARY_BYTES);
    // no value opened a new cell: each row still has its two cells
    expect(markdown.split('\n').filter((l) => l.startsWith('| ')).map((l) => l.split(/(?<!\\)\|/).length)).toEqual(Array(8).fill(4));
  });
});
