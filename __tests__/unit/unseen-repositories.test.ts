// On a refused token's failure path only: which named repositories the installation cannot see,
// asked of the fake GitHub on a real socket, the first 10 names at most.
import { describe, expect, it } from '@jest/globals';
import { findUnseenRepositories } from '../../src/unseen-repositories.ts';
import { serverError } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();

async function unseen(names: string[]) {
  const { github } = await t.client();
  return findUnseenRepositories(github, { owner: 'octo-org', names, installationId: 1001 });
}

describe('findUnseenRepositories', () => {
  it('names those without this installation, in the order given, one lookup each', async () => {
    expect(await unseen(['api', 'ghost', 'web', 'gone'])).toEqual({ unseen: ['ghost', 'gone'], checked: 4 });
    expect(t.gh.requests.map((q) => q.path)).toEqual(['/repos/octo-org/api/installation', '/repos/octo-org/ghost/installation', '/repos/octo-org/web/installation', '/repos/octo-org/gone/installation']);
  });

  it('looks up the first 10 names only', async () => {
    const result = await unseen(Array.from({ length: 14 }, (_, i) => `gone-${i}`));
    expect(result).toEqual({ unseen: Array.from({ length: 10 }, (_, i) => `gone-${i}`), checked: 10 });
    expect(t.gh.requests).toHaveLength(10);
  });

  it('a lookup that fails otherwise than with 404 leaves the name unjudged', async () => {
    t.gh.faults.push(serverError(502, { times: 4 }));
    expect(await unseen(['ghost'])).toEqual({ unseen: [], checked: 1 });
  });
});
