/**
 * The `app-jwt` input: a JWT an earlier step signed (in a KMS or HSM that never exports the key).
 * It is checked before any request for what GitHub will refuse; no message quotes it.
 */
import { ActionError } from './errors.js';
import { isoTime } from './github-forms.js';
import { shorten } from './untrusted.js';
import { JWT_LIFETIME_SECONDS } from './app-jwt.js';

export interface GivenJwt {
  /** the JWT as given */
  readonly value: string;
  /** its `iss` claim: the app's client ID or app ID */
  readonly issuer: string;
}

export function checkGivenJwt(value: string, nowSeconds: number): GivenJwt {
  const parts = value.split('.');
  if (parts.length !== 3 || parts.some((part) => !/^[A-Za-z0-9_-]+$/.test(part))) {
    const spaces = /\s/.test(value) ? ' or spaces' : '';
    throw new ActionError(
      `Input 'app-jwt' is not a JWT: it must be three base64url parts joined by dots (header.payload.signature), without 'Bearer ' or quotes${spaces}. Encode the signature as base64url (tr '+/' '-_' | tr -d '=').`
    );
  }
  const header = decodePart(parts[0] ?? '', 'header');
  const claims = decodePart(parts[1] ?? '', 'payload');
  if (header['alg'] !== 'RS256') {
    throw new ActionError(`Input 'app-jwt' has header alg '${shorten(String(header['alg'] ?? ''))}'; GitHub accepts only RS256 (RSASSA-PKCS1-v1_5 with SHA-256, e.g. RSASSA_PKCS1_V1_5_SHA_256 in AWS KMS).`);
  }
  const { iat, exp, iss } = claims;
  if (!Number.isSafeInteger(iat)) throw new ActionError(`Input 'app-jwt' has no integer 'iat' claim (issued at, in seconds since the epoch).`);
  if (!Number.isSafeInteger(exp)) throw new ActionError(`Input 'app-jwt' has no integer 'exp' claim (expires at, in seconds since the epoch).`);
  const issuedAt = iat as number;
  const expiresAt = exp as number;
  if (expiresAt <= nowSeconds) {
    throw new ActionError(
      `Input 'app-jwt' expired at ${isoTime(expiresAt * 1000, `${expiresAt} s`)} (this runner's clock says ${isoTime(nowSeconds * 1000, `${nowSeconds} s`)}). Sign it in the step just before this one; it lives at most 10 minutes.`
    );
  }
  if (expiresAt - issuedAt > JWT_LIFETIME_SECONDS) {
    throw new ActionError(`Input 'app-jwt' lives ${expiresAt - issuedAt} s from 'iat' to 'exp'; GitHub accepts at most ${JWT_LIFETIME_SECONDS} s. Set 'exp' to 'iat' + 600 or less.`);
  }
  const issuer = typeof iss === 'number' && Number.isSafeInteger(iss) ? String(iss) : typeof iss === 'string' ? iss.trim() : '';
  if (!issuer) throw new ActionError(`Input 'app-jwt' has no 'iss' claim. Set 'iss' to the app's client ID (or app ID) when signing it.`);
  return { value, issuer };
}

function decodePart(part: string, name: string): Record<string, unknown> {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (decoded && typeof decoded === 'object' && !Array.isArray(decoded)) return decoded as Record<string, unknown>;
  } catch {
    // reported below
  }
  throw new ActionError(`Input 'app-jwt' is not a JWT: its ${name} is not base64url-encoded JSON.`);
}
