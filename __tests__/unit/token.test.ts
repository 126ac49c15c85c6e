// Creating the installation token, against the fake GitHub on a real socket: what GitHub grants.
// What its refusals become: explain-token-refusal.test.ts.
import { describe, expect, it } from '@jest/globals';
import { createToken } from '../../src/token.ts';
import type { Fault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();

async function create(inputs: Record<string, string>, faults: Fault[] = [], id = 1001, granted?: Record<string, string>) {
  t.gh.faults.push(...faults);
  const { github, settings } = await t.client(inputs);
  return createToken(github, { id, appSlug: 'my-app', account: 'octo-org', ...(granted ? { permissions: granted } : {}) }, settings);
}

describe('the token GitHub grants', () => {
  it('limited to the repositories and permissions asked for', async () => {
    const token = await create({ repositories: 'api,web', 'permission-issues': 'write' });
    expect(token).toMatchObject({ permissions: { issues: 'write' }, repositories: ['api', 'web'] });
    expect(t.gh.requests.map((q) => [q.path, q.body])).toEqual([['/app/installations/1001/access_tokens', { repositories: ['api', 'web'], permissions: { issues: 'write' } }]]);
  });
});
