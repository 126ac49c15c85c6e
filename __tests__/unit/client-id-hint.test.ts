// An app slug given as client-id: the hint that says so, and only then.
import { describe, expect, it } from '@jest/globals';
import { clientIdHint } from '../../src/client-id-hint.ts';

describe('clientIdHint', () => {
  it('names a value that is neither an app ID nor a client ID as a likely slug', () => {
    expect(clientIdHint({ issuer: 'my-app', issuerInput: 'client-id' })).toMatch(/^ 'my-app' looks like the app's slug .*copy the Client ID \(Iv…\) from the app's settings page/);
  });

  it.each([
    ['Iv23liAbc', 'client-id'],
    ['12345', 'client-id'],
    ['my-app', 'app-id'],
    ['my-app', '']
  ] as const)('says nothing for %p given as %p', (issuer, issuerInput) => {
    expect(clientIdHint({ issuer, issuerInput })).toBe('');
  });
});
