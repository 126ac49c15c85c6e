// The agent's scope rules, its cache and the revocation at the end, against the fake GitHub on a
// real socket, with a clock the test moves.
import { describe, expect, it } from '@jest/globals';
import { Refused, TokenKeeper, type AgentConfig } from '../../src/agent-tokens.ts';
import { createToken } from '../../src/token.ts';
import { statusFault } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();
const HOUR = 3_600_000;

async function keeper(inputs: Record<string, string> = {}, { enterprise = false } = {}) {
  const { github, settings } = await t.client({ agent: 'true', ...inputs });
  const installation = { id: 1001, appSlug: 'my-app', account: enterprise ? 'octo-enterprise' : 'octo-org', ...(enterprise ? { enterprise } : {}) };
  const first = await createToken(github, installation, settings);
  let now = Date.now();
  const config: AgentConfig = { dir: '/nowhere', secret: 's', settings, installation, token: { ...first, mintedAt: now }, lifetimeMs: HOUR };
  const minted: string[] = [];
  const k = new TokenKeeper(github, config, () => now, (held) => minted.push(held.label));
  t.gh.requests.length = 0;
  return { k, first, minted, advance: (ms: number) => (now += ms) };
}

const creates = () => t.gh.requests.filter((q) => q.method === 'POST').map((q) => q.path);

describe('freshness (the rule itself: agent-server.test.ts)', () => {
  it("serves main's token until it gets old, then mints one of the same scope, once for concurrent asks", async () => {
    const { k, first, minted, advance } = await keeper({ repositories: 'api' });
    expect((await k.token()).token).toBe(first.token);
    expect((await k.token('octo-org/API')).token).toBe(first.token);
    expect(creates()).toEqual([]);
    advance(51 * 60_000);
    const [a, b] = await Promise.all([k.token(), k.token('octo-org/api')]);
    expect(a.token).not.toBe(first.token);
    expect(b.token).toBe(a.token);
    expect(creates()).toEqual(['/app/installations/1001/access_tokens']);
    expect(minted).toEqual(['octo-org/api']);
  });

  it('a token git reported rejected is dropped and replaced on the next ask', async () => {
    const { k, first } = await keeper();
    expect(k.erase(first.token)).toBe(true);
    expect(k.erase(first.token)).toBe(false);
    expect((await k.token()).token).not.toBe(first.token);
  });
});

describe('scope rules', () => {
  it('refuses a repository outside the scope, naming the input to change', async () => {
    const { k } = await keeper({ repositories: 'api' });
    await expect(k.token('octo-org/web')).rejects.toThrow("No token for octo-org/web: it is outside this step's scope (octo-org/api). To allow it, add 'web' to 'repositories', or add 'octo-org' to 'agent-owners' of the App Token step.");
    await expect(k.token('octo-user/dotfiles')).rejects.toThrow(/^No token for octo-user\/dotfiles: .* To allow it, add 'octo-user' to 'agent-owners' of the App Token step\.$/);
    await expect(k.token('octo-user/dotfiles')).rejects.toBeInstanceOf(Refused);
    expect(k.refusedBy.get('octo-user/dotfiles outside the scope')).toBe(2);
    expect(creates()).toEqual([]);
  });

  it("mints a token for one repository of an account in agent-owners, from that repository's installation, and caches it", async () => {
    const { k, minted } = await keeper({ 'agent-owners': 'octo-user', 'permission-contents': 'read' });
    const held = await k.token('octo-user/dotfiles');
    await k.token('octo-user/dotfiles');
    expect(t.gh.requests.map((q) => `${q.method} ${q.path}`)).toEqual(['GET /repos/octo-user/dotfiles/installation', 'POST /app/installations/1002/access_tokens']);
    expect(t.gh.requests[1]?.body).toEqual({ repositories: ['dotfiles'], permissions: { contents: 'read' } });
    expect(t.gh.tokens.get(held.token)?.repositories).toEqual(['dotfiles']);
    expect(minted).toEqual(['octo-user/dotfiles']);
    expect(k.mintedTotal()).toBe(1);
  });

  it('with an enterprise token, refuses every repository', async () => {
    const { k } = await keeper({}, { enterprise: true });
    await expect(k.token('octo-org/api')).rejects.toThrow(/^No token for octo-org\/api: this step's token is for the enterprise 'octo-enterprise', which reaches no repository\./);
  });
});

describe('revoking at the end', () => {
  it("names each token it could not revoke, and never sends main's", async () => {
    const { k, first, advance } = await keeper({ 'agent-owners': 'octo-user' });
    advance(51 * 60_000);
    const scope = await k.token();
    const other = await k.token('octo-user/dotfiles');
    t.gh.faults.push(statusFault(500, { body: { message: 'boom' }, match: { method: 'DELETE' }, times: 8 }));
    const failing = await k.revokeAll();
    expect(failing.revoked).toBe(0);
    expect(failing.failed.sort()).toEqual([expect.stringMatching(/^octo-org\/app-token: DELETE \/installation\/token failed: 500 boom/), expect.stringMatching(/^octo-user\/dotfiles: DELETE \/installation\/token failed: 500 boom/)]);
    expect(t.gh.tokens.get(first.token)?.revoked).toBe(false);
    expect([scope, other].filter((held) => t.gh.tokens.get(held.token)?.revoked)).toEqual([]);
    expect(await k.revokeAll()).toEqual({ revoked: 0, expired: 0, failed: [] });
  });

  it('does not send an expired token', async () => {
    const { k, advance } = await keeper();
    advance(51 * 60_000);
    await k.token();
    advance(2 * HOUR);
    t.gh.requests.length = 0;
    expect(await k.revokeAll()).toEqual({ revoked: 0, expired: 1, failed: [] });
    expect(t.gh.requests).toEqual([]);
  });
});

describe('revoking at the end, when GitHub answers', () => {
  it("revokes every token the agent minted, and counts one already revoked (401) as revoked", async () => {
    const { k, first, advance } = await keeper({ 'agent-owners': 'octo-user' });
    advance(51 * 60_000);
    const scope = await k.token();
    const other = await k.token('octo-user/dotfiles');
    t.gh.faults.push(statusFault(401, { body: { message: 'Bad credentials' }, match: { method: 'DELETE' }, times: 5 }));
    expect(await k.revokeAll()).toEqual({ revoked: 2, expired: 0, failed: [] });
    expect(t.gh.tokens.get(first.token)?.revoked).toBe(false);
    const refused = t.gh.requests.filter((q) => q.method === 'DELETE' && q.status === 401).map((q) => q.auth.token);
    expect(new Set(refused)).toEqual(new Set([scope.token, other.token]));
  });
});
