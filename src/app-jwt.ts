/** The app's JSON Web Token: RS256, issued 60 s in the past against clock drift, valid 10 minutes. */
import type { KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

export const JWT_BACKDATE_SECONDS = 60;
export const JWT_LIFETIME_SECONDS = 600;

/** `issuer` is the client ID or app ID exactly as given. */
export async function signAppJwt(key: KeyObject, issuer: string, nowSeconds: number): Promise<string> {
  const iat = nowSeconds - JWT_BACKDATE_SECONDS;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(issuer)
    .setIssuedAt(iat)
    .setExpirationTime(iat + JWT_LIFETIME_SECONDS)
    .sign(key);
}
