// The run's secrets: each masked once, as it appears, and redacted from every message, longest first.
import { describe, expect, it } from '@jest/globals';
import { redact, Secrets } from '../../src/secrets.ts';
import { recorder } from '../support/recorder.ts';

describe('Secrets', () => {
  it('masks each value once and skips empty ones', () => {
    const r = recorder();
    const secrets = new Secrets(r);
    secrets.mask('one', '', 'two');
    secrets.mask('one');
    expect(r.calls).toEqual([
      ['setSecret', 'one'],
      ['setSecret', 'two']
    ]);
  });

  it("redacts what it masked from an error's message, whatever was thrown", () => {
    const secrets = new Secrets(recorder());
    secrets.mask('ghs_abc');
    expect(secrets.messageOf(new Error('bad ghs_abc'))).toBe('bad ***');
    expect(secrets.messageOf('thrown ghs_abc')).toBe('thrown ***');
  });
});

describe('redact', () => {
  it('replaces the longest secret first, so a shorter one inside it leaves nothing behind', () => {
    expect(redact('key ABCDEF and ABC', ['ABC', 'ABCDEF', ''])).toBe('key *** and ***');
  });
});
