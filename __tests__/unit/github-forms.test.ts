// GitHub's forms for names and times (the cases of each form: check-answer.test.ts), and times for messages.
import { describe, expect, it } from '@jest/globals';
import { hasForm, isoTime } from '../../src/github-forms.ts';

describe('hasForm', () => {
  it('takes strings of the form only, and timestamps that are real times', () => {
    expect(hasForm('a login', 'octo-org')).toBe(true);
    expect(hasForm('a login', 42)).toBe(false);
    expect(hasForm('a timestamp', '2026-02-28T10:00:00Z')).toBe(true);
    expect(hasForm('a timestamp', '2026-02-30T99:00:00Z')).toBe(false);
  });
});

describe('isoTime', () => {
  it('gives ISO 8601 to the second, or says the time is unknown', () => {
    expect(isoTime(Date.parse('2050-01-01T00:00:00.123Z'))).toBe('2050-01-01T00:00:00Z');
    expect(isoTime(Number.NaN)).toBe('an unknown time');
    expect(isoTime(1e20)).toBe('an unknown time');
  });
});
