// What main hands post through the runner's saved state, and what post makes of a state it did not expect.
import { describe, expect, it } from '@jest/globals';
import { loadAgent, loadToken, saveAgent, saveAgentPid, saveToken } from '../../src/state.ts';
import { recorder } from '../support/recorder.ts';

describe('the token', () => {
  it('round-trips, with the mint time when known', () => {
    const store = recorder();
    saveToken(store, { token: 'ghs_x', expiresAt: '2030-01-01T00:00:00Z', apiUrl: 'https://api.github.com', mintedAt: 1700000000000 });
    expect(loadToken(store)).toEqual({ token: 'ghs_x', expiresAt: '2030-01-01T00:00:00Z', apiUrl: 'https://api.github.com', mintedAt: 1700000000000 });
    saveToken(store, { token: 'ghs_y', expiresAt: '', apiUrl: 'u', mintedAt: undefined });
    expect(loadToken(recorder({ token: 'ghs_y', 'minted-at': 'soon' }))?.mintedAt).toBeUndefined();
  });

  it('is none when main saved none', () => {
    expect(loadToken(recorder())).toBeUndefined();
  });
});

describe('the agent', () => {
  it('round-trips; saved before the agent starts, so a missing or bad pid is 0 and post still undoes main’s changes', () => {
    const store = recorder();
    saveAgent(store, { dir: '/t/agent', include: '/t/agent/gitconfig' });
    expect(loadAgent(store)).toEqual({ dir: '/t/agent', pid: 0, include: '/t/agent/gitconfig', createdConfig: '' });
    saveAgentPid(store, 4242);
    expect(loadAgent(store)).toEqual({ dir: '/t/agent', pid: 4242, include: '/t/agent/gitconfig', createdConfig: '' });
    expect(loadAgent(recorder({ 'agent-dir': '/t/agent', 'agent-pid': '-1' }))).toEqual({ dir: '/t/agent', pid: 0, include: '', createdConfig: '' });
    expect(loadAgent(recorder({ 'agent-dir': '', 'agent-pid': '4242' }))).toBeUndefined();
  });
});
