// Installation tokens in the fake GitHub API as GitHub replicates them: a new token's first uses
// can answer 401 ("Bad credentials") or 404 for a few seconds (octokit/auth-app.js#589), and the
// exact Authorization of every app request, so a test can tell a JWT was sent as it was given.
import type { RequestAuth } from './auth.ts';
import type { FakeState } from './objects.ts';
import { fail, type RouteResult } from './route-shape.ts';

export interface TokenLag {
  /** how many uses of each new token are answered with `status` */
  uses: number;
  status: 401 | 404;
}

/** Per-token use counts for the lag fault; one per fake. */
export class ReplicationLag {
  private lag: TokenLag | undefined;
  private readonly uses = new Map<string, number>();

  set(lag: TokenLag | undefined): void {
    this.lag = lag;
    this.uses.clear();
  }

  /** GitHub's answer while the token is "not replicated yet", or undefined to route the request. */
  answer(state: FakeState, auth: RequestAuth): RouteResult | undefined {
    if (!this.lag || auth.kind !== 'token' || !auth.token || !state.tokens.has(auth.token)) return undefined;
    const used = this.uses.get(auth.token) ?? 0;
    this.uses.set(auth.token, used + 1);
    if (used >= this.lag.uses) return undefined;
    const { status } = this.lag;
    return fail(status, status === 401 ? 'Bad credentials' : 'Not Found');
  }
}

/** The distinct Authorization headers the app requests (not the token ones) arrived with. */
export function appAuthorizations(requests: readonly { auth: RequestAuth; headers: Record<string, string> }[]): string[] {
  return [...new Set(requests.filter((r) => r.auth.kind === 'jwt').map((r) => r.headers['authorization'] ?? ''))];
}
