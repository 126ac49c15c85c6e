// One overall deadline per step (3 minutes for main, 1 for post; APP_TOKEN_DEADLINE_MS shortens
// both here): a server that answers too slowly, or never, ends the step at the deadline with a
// message that says what it was waiting for; a token minted before is revoked by post.
import { describe, expect, it } from '@jest/globals';
import { hang, rateLimited } from '../../fake-github/server.ts';
import { errors, routes, useFakeGitHub, warnings } from '../support/scenario.ts';

const s = useFakeGitHub();
// each request may take a minute: only the step's deadline can end these runs early
const SLOW = { APP_TOKEN_TIMEOUT_MS: '60000', APP_TOKEN_DEADLINE_MS: '1500' };

describe('the main step', () => {
  it('a lookup that never answers: stops at the deadline, saying so, with nothing to revoke', async () => {
    s.gh.faults.push(hang({ match: { method: 'GET' } }));
    const { main, post } = await s.run({}, SLOW);
    expect(main.code).toBe(1);
    expect(main.durationMs).toBeLessThan(6_000);
    expect(errors(main)).toEqual([
      'The main step stopped at its deadline of 1.5 s: it was waiting for an answer to GET /repos/octo-org/app-token/installation. No token had been received, so the post step has none to revoke (one minted in the last moment expires within the hour). GitHub, or the network to it, is too slow right now: re-run the job later; the lines above show each try.'
    ]);
    expect(post.stdout).toMatch(/No token to revoke/);
  });

  it('a rate-limit wait longer than the deadline: stops during the wait, naming it', async () => {
    s.gh.faults.push(rateLimited(30, { match: { method: 'POST' } }));
    const main = await s.main({}, SLOW);
    expect(main.durationMs).toBeLessThan(6_000);
    expect(errors(main)).toEqual([expect.stringMatching(/^The main step stopped at its deadline of 1\.5 s: it was waiting for the \d+\.\d s wait before trying POST \/app\/installations\/1001\/access_tokens again \(rate limited \(403\)\)\. No token had been received/)]);
  });

  it('verify-token hanging after the mint: stops at the deadline, and post revokes the token', async () => {
    s.gh.faults.push(hang({ match: { method: 'GET', path: '/installation/repositories' } }));
    const { main, post } = await s.run({ 'verify-token': 'true' }, SLOW);
    expect(main.durationMs).toBeLessThan(6_000);
    expect(errors(main)).toEqual([expect.stringMatching(/^The main step stopped at its deadline of 1\.5 s: it was waiting for an answer to GET \/installation\/repositories\. The post step revokes the token it minted\./)]);
    expect(main.state['token']).toMatch(/^ghs_/);
    expect(main.outputs['token']).toBeUndefined();
    expect(post.stdout).toContain('Token revoked.');
    expect(s.gh.tokens.get(main.state['token'] ?? '')?.revoked).toBe(true);
  });

  it('without the override, a short hang is waited out as before', async () => {
    s.gh.faults.push(hang({ match: { method: 'GET' } }));
    const main = await s.main({}, { APP_TOKEN_TIMEOUT_MS: '500' });
    expect(errors(main)).toEqual([]);
    expect(main.stdout).toMatch(/no answer within 0\.5 s; trying again/);
  });
});

describe('the post step', () => {
  it('a revocation that never answers: a warning at the deadline, and post still succeeds', async () => {
    s.gh.faults.push(hang({ match: { method: 'DELETE' } }));
    const { main, post } = await s.run({}, SLOW);
    expect(main.code).toBe(0);
    expect(post.code).toBe(0);
    expect(post.durationMs).toBeLessThan(6_000);
    expect(routes(s.gh)).toContain('DELETE /installation/token');
    expect(warnings(post)).toEqual([
      expect.stringMatching(/^Could not revoke the installation token within the post step's deadline of 1\.5 s: it was waiting for an answer to DELETE \/installation\/token\. It stays valid until 20\d\d-/)
    ]);
  });
});
