/**
 * The agent's tokens: which repositories it may hand a token out for, a cache that never hands
 * out a token close to its end, and revoking them all at the end. Minting goes through the same
 * client, installation lookup and token creation as the main step (retries, rate limits, clock
 * correction).
 */
import { ActionError, ApiError, listNames } from './errors.js';
import type { GitHub } from './github.js';
import type { Settings } from './inputs.js';
import { findInstallation, type Installation } from './installation.js';
import { revokeToken } from './revoke.js';
import { createToken } from './token.js';

/** What main hands the agent (through a pipe: it holds the private key). */
export interface AgentConfig {
  readonly dir: string;
  readonly secret: string;
  readonly settings: Settings;
  readonly installation: Installation;
  /** main's token: served until it gets old, revoked by post, not by the agent */
  readonly token: { readonly token: string; readonly expiresAt: string; readonly mintedAt: number; readonly repositories: readonly string[] };
  readonly lifetimeMs: number;
}

export interface Held {
  readonly token: string;
  readonly expiresAt: string;
  readonly expiresAtMs: number;
  readonly mintedAt: number;
  /** minted by the agent (main's token is post's to revoke) */
  readonly ours: boolean;
  readonly label: string;
}

/** A request the rules do not allow: answered with this message, never retried. */
export class Refused extends ActionError {
  constructor(
    message: string,
    readonly reason: string
  ) {
    super(message);
  }
}

const FRESH_MARGIN_MS = 10 * 60_000;

/** Whether a token may still be handed out: more than 10 minutes or a sixth of its lifetime left, whichever is shorter. */
export function isFresh(held: Pick<Held, 'expiresAtMs' | 'mintedAt'>, now: number): boolean {
  const margin = Math.min(FRESH_MARGIN_MS, (held.expiresAtMs - held.mintedAt) / 6);
  return held.expiresAtMs - now > margin;
}

const same = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export class TokenKeeper {
  private readonly held = new Map<string, Held>();
  private readonly minting = new Map<string, Promise<Held>>();
  /** every token the agent minted, for the revocation at the end */
  private readonly all: Held[] = [];
  readonly mintedBy = new Map<string, number>();
  readonly refusedBy = new Map<string, number>();

  constructor(
    private readonly github: GitHub,
    private readonly config: AgentConfig,
    private readonly clock: () => number = Date.now,
    private readonly onMint: (held: Held) => void = () => undefined
  ) {
    const { token } = config;
    this.held.set('scope', { ...token, expiresAtMs: expiry(token.expiresAt, token.mintedAt), ours: false, label: this.scopeLabel() });
  }

  /** A fresh token for the step's scope, or for `repository` (owner/name) under the scope rules. */
  async token(repository?: string): Promise<Held> {
    const key = repository === undefined ? 'scope' : this.keyFor(repository);
    const cached = this.held.get(key);
    if (cached && isFresh(cached, this.clock())) return cached;
    let pending = this.minting.get(key);
    if (!pending) {
      pending = this.mint(key).finally(() => this.minting.delete(key));
      this.minting.set(key, pending);
    }
    return pending;
  }

  /** git reported the token rejected: drop it, so the next ask mints a new one. */
  erase(token: string): boolean {
    for (const [key, held] of this.held) {
      if (held.token === token) {
        this.held.delete(key);
        return true;
      }
    }
    return false;
  }

  /** Revokes every unexpired token the agent minted; main's is post's. */
  async revokeAll(): Promise<{ revoked: number; expired: number; failed: string[] }> {
    const now = this.clock();
    const all = this.all.splice(0);
    const live = all.filter((held) => held.expiresAtMs > now);
    const results = await Promise.allSettled(live.map((held) => revokeToken(this.github, held.token, held.mintedAt)));
    const failed: string[] = [];
    let revoked = 0;
    results.forEach((result, i) => {
      if (result.status === 'fulfilled' && result.value === 204) revoked++;
      else if (result.status === 'rejected' && result.reason instanceof ApiError && result.reason.status === 401) revoked++; // already revoked
      else failed.push(`${live[i]?.label}: ${result.status === 'rejected' ? (result.reason as Error).message : `DELETE /installation/token answered ${result.value}`}`);
    });
    this.held.clear();
    return { revoked, expired: all.length - live.length, failed };
  }

  mintedTotal(): number {
    return [...this.mintedBy.values()].reduce((a, b) => a + b, 0);
  }

  private keyFor(repository: string): string {
    const { settings, installation, token } = this.config;
    const [owner = '', name = ''] = repository.split('/');
    if (installation.enterprise) {
      throw this.refuse(`No token for ${repository}: this step's token is for the enterprise '${installation.account}', which reaches no repository. Run another App Token step for '${owner}' instead.`, 'enterprise');
    }
    const named = token.repositories;
    if (same(owner, installation.account) && (named.length === 0 || named.some((r) => same(r, name)))) return 'scope';
    if (settings.agent?.owners.some((o) => same(o, owner))) return `repo:${owner.toLowerCase()}/${name.toLowerCase()}`;
    const fix = same(owner, installation.account) ? `add '${name}' to 'repositories', or add '${owner}' to 'agent-owners'` : `add '${owner}' to 'agent-owners'`;
    throw this.refuse(`No token for ${repository}: it is outside this step's scope (${this.scopeLabel()}). To allow it, ${fix} of the App Token step.`, `${repository} outside the scope`);
  }

  private refuse(message: string, reason: string): Refused {
    this.refusedBy.set(reason, (this.refusedBy.get(reason) ?? 0) + 1);
    return new Refused(message, reason);
  }

  private async mint(key: string): Promise<Held> {
    const { settings, installation } = this.config;
    let held: Held;
    if (key === 'scope') {
      const token = await createToken(this.github, installation, settings);
      held = this.keep(key, token.token, token.expiresAt, this.scopeLabel());
    } else {
      const [owner = '', name = ''] = key.slice('repo:'.length).split('/');
      // one repository, the step's permissions, the installation on that repository's owner
      const scoped: Settings = { ...settings, owner, repositories: [name], repositoryIds: undefined, installationId: undefined, enterprise: undefined };
      const found = await findInstallation(this.github, scoped);
      const token = await createToken(this.github, found, scoped);
      held = this.keep(key, token.token, token.expiresAt, `${found.account || owner}/${token.repositories[0] ?? name}`);
    }
    return held;
  }

  private keep(key: string, token: string, expiresAt: string, label: string): Held {
    const mintedAt = this.clock();
    const held: Held = { token, expiresAt, expiresAtMs: expiry(expiresAt, mintedAt), mintedAt, ours: true, label };
    this.held.set(key, held);
    this.all.push(held);
    this.mintedBy.set(label, (this.mintedBy.get(label) ?? 0) + 1);
    this.onMint(held);
    return held;
  }

  private scopeLabel(): string {
    const { installation, token } = this.config;
    if (installation.enterprise) return `enterprise ${installation.account}`;
    return token.repositories.length ? listNames(token.repositories.map((r) => `${installation.account}/${r}`), 5) : `${installation.account}/*`;
  }
}

/** GitHub's expires_at; a token without one is treated as an hour's. */
function expiry(expiresAt: string, mintedAt: number): number {
  const ms = Date.parse(expiresAt);
  return Number.isFinite(ms) ? ms : mintedAt + 3_600_000;
}
