/**
 * Revoking the token, apart from token.ts: post's bundle then carries none of main's code
 * (installation lookup, retired permissions, error explanations), which keeps post's start-up small.
 */
import type { GitHub } from './github.js';

/** The status GitHub answered: 204 when the token is revoked. */
export async function revokeToken(github: GitHub, token: string): Promise<number> {
  const { status } = await github.request({ token }, 'DELETE /installation/token');
  return status;
}
