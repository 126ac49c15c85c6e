// Escaping and bounding what we print: input values and text from the server.
import { describe, expect, it } from '@jest/globals';
import { quoted, untrusted } from '../../src/untrusted.ts';

describe('untrusted and quoted', () => {
  it('escape line breaks, control and format characters, and a leading ::', () => {
    expect(untrusted('octo\n::warning::x')).toBe('octo\\n::warning::x');
    expect(untrusted('::stop-commands::abc')).toBe('\\u003a:stop-commands::abc');
    expect(untrusted('a\u001b[31mb\u202ec')).toBe('a\\u001b[31mb\\u202ec');
    expect(untrusted(undefined)).toBe('');
    expect(untrusted(42)).toBe('42');
    expect(untrusted('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…`);
  });

  it("escape '##[' anywhere, the runner's legacy command form", () => {
    expect(untrusted('x ##[add-mask]octo')).toBe('x #\\u0023[add-mask]octo');
    expect(untrusted('###[a]##[b]')).not.toContain('##[');
    expect(quoted('a##[set-output name=x]y')).toBe('a#\\u0023[set-output name=x]y');
  });

  it('quotes a short message whole and says when a long one was cut', () => {
    expect(quoted('Not Found')).toBe('Not Found');
    const long = quoted('y'.repeat(5000));
    expect(long).toBe(`${'y'.repeat(300)}… (cut: the message has 5000 characters)`);
  });
});

describe('shorten', () => {
  it('escapes astral format characters by code point and never cuts inside one', () => {
    expect(untrusted('tag\u{E0041}')).toBe('tag\\u{e0041}');
    expect(untrusted('😀😀😀', 2)).toBe('😀😀…');
  });
});
