/**
 * Revoking the token, apart from token.ts: post's bundle then carries none of main's code
 * (installation lookup, retired permissions, error explanations), which keeps post's start-up small.
 */
import type { GitHub } from './github.js';

/**
 * The status GitHub answered: 204 when the token is revoked. With `mintedAt`, a 401/404 soon after
 * the mint is GitHub still replicating the token (a short job), waited out as main does.
 */
export async function revokeToken(github: GitHub, token: string, mintedAt: number | undefined): Promise<number> {
  const { status } = await github.request(mintedAt === undefined ? { token } : { token, mintedAt }, 'DELETE /installation/token');
  return status;
}
