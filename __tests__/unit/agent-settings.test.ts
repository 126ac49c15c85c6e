import { describe, expect, it } from '@jest/globals';
import { readAgentSettings, readLifetime } from '../../src/agent-settings.js';
import { thrownMessage } from '../support/thrown.ts';

const read = (inputs: Record<string, string>, appJwt = false) => readAgentSettings((name) => inputs[name] ?? '', appJwt);

describe('agent inputs', () => {
  it('off by default, and then nothing', () => {
    expect(read({})).toBeUndefined();
    expect(read({ agent: 'false', 'agent-lifetime': '30m' })).toBeUndefined();
  });
  it('on: owners deduplicated without case, lifetime 6h by default', () => {
    expect(read({ agent: 'true', 'agent-owners': 'other-org,\n Other-Org , third' })).toEqual({ owners: ['other-org', 'third'], lifetimeMs: 6 * 3_600_000 });
  });
  it('lifetimes: 90s, 30m, 6h; nothing else', () => {
    expect([readLifetime('90s'), readLifetime('30m'), readLifetime('6h')]).toEqual([90_000, 1_800_000, 21_600_000]);
    for (const bad of ['6', '1d', '5s', '121h', 'soon', '-1h']) {
      expect(thrownMessage(() => readLifetime(bad), bad)).toMatch(/^Input 'agent-lifetime' is '.*'; use a duration from 10s to 120h, such as 90s, 30m or 6h/);
    }
  });
  it('a bad owner names the input', () => {
    expect(thrownMessage(() => read({ agent: 'true', 'agent-owners': 'octo org' }), 'owner')).toMatch(/^Input 'agent-owners' has 'octo org', which is not a GitHub account name/);
  });
  it('agent-owners without agent says to set agent', () => {
    expect(thrownMessage(() => read({ 'agent-owners': 'x' }), 'owners')).toMatch(/^Input 'agent-owners' is set, but 'agent' is not true/);
  });
  it("with app-jwt: refused, pointing at the KMS recipe's limits", () => {
    expect(thrownMessage(() => read({ agent: 'true' }, true), 'app-jwt')).toMatch(/^Input 'agent' cannot be used with 'app-jwt': .*"Sign the JWT in a KMS" and its limits/);
  });
});
