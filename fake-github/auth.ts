// Authorization parsing and GitHub-App JWT verification for the fake GitHub API.
// Mirrors the checks GitHub applies to app JWTs (RS256, iss, iat/exp windows on the
// server clock) and the exact messages it answers with.
import { createPrivateKey, createSign, createVerify, type KeyObject } from 'node:crypto';

export interface JwtClaims {
  iss?: unknown;
  iat?: unknown;
  exp?: unknown;
  [claim: string]: unknown;
}

export interface RequestAuth {
  /** 'jwt' when the credential decodes as a JWT (valid or not), 'token' for any other credential. */
  kind: 'jwt' | 'token' | 'none' | 'invalid';
  /** Decoded JWT payload (kind 'jwt'). */
  claims?: JwtClaims;
  /** Decoded JWT header (kind 'jwt'). */
  header?: Record<string, unknown>;
  /** The credential: everything after the scheme, or Basic's password. */
  token?: string;
  /** Authorization scheme as sent ('Bearer', 'token', 'Basic', ...). */
  scheme?: string;
}

export const JWT_MESSAGES = {
  undecodable: 'A JSON web token could not be decoded',
  iat: "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued.",
  expTooFar: "'Expiration time' claim ('exp') is too far in the future",
  expired:
    "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires.",
  unknownApp: 'Integration not found',
  required: 'Requires authentication'
} as const;

export interface AppIdentity {
  id: number;
  clientId: string;
  publicKey: KeyObject;
}

function base64UrlJson(segment: string): Record<string, unknown> | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(segment)) return undefined;
  try {
    const value: unknown = JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** A JWT when the credential decodes as one (valid or not), otherwise a token. */
function classify(scheme: string, credential: string): RequestAuth {
  const parts = credential.split('.');
  if (parts.length === 3) {
    const jwtHeader = base64UrlJson(parts[0]);
    if (jwtHeader && ('alg' in jwtHeader || 'typ' in jwtHeader)) {
      const claims = base64UrlJson(parts[1]);
      if (!claims) return { kind: 'invalid', scheme, token: credential };
      return { kind: 'jwt', scheme, token: credential, header: jwtHeader, claims };
    }
  }
  return { kind: 'token', scheme, token: credential };
}

/**
 * Parses an Authorization header the way GitHub distinguishes JWTs from tokens: `Bearer` or
 * `token` with the credential, or (as git sends it) `Basic` with user `x-access-token` and the
 * credential as password. Any other user name or scheme is 'invalid'.
 */
export function parseAuthorization(header: string | undefined): RequestAuth {
  if (header === undefined || header.trim() === '') return { kind: 'none' };
  const match = /^\s*(\S+)\s+(\S+)\s*$/.exec(header);
  if (!match) return { kind: 'invalid', token: header.trim() };
  const [, scheme, credential] = match;
  if (/^basic$/i.test(scheme)) {
    const decoded = Buffer.from(credential, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== 'x-access-token') return { kind: 'invalid', scheme, token: credential };
    return classify(scheme, decoded.slice(colon + 1));
  }
  if (!/^(bearer|token)$/i.test(scheme)) return { kind: 'invalid', scheme, token: credential };
  return classify(scheme, credential);
}

function issMatches(iss: unknown, app: AppIdentity): boolean {
  if (typeof iss === 'number') return iss === app.id;
  if (typeof iss === 'string') return iss === app.clientId || (/^\d+$/.test(iss) && Number(iss) === app.id);
  return false;
}

/**
 * Verifies an app JWT like GitHub does. Returns undefined when it is accepted, otherwise the
 * 401 message GitHub would answer with. `nowSeconds` is the SERVER clock.
 */
export function verifyAppJwt(auth: RequestAuth, app: AppIdentity, nowSeconds: number): string | undefined {
  if (auth.kind === 'none') return JWT_MESSAGES.required;
  if (auth.kind !== 'jwt' || !auth.token || !auth.claims || !auth.header) return JWT_MESSAGES.undecodable;
  if (auth.header.alg !== 'RS256') return JWT_MESSAGES.undecodable;
  const claims = auth.claims;
  if (!issMatches(claims.iss, app)) return JWT_MESSAGES.unknownApp;
  const [headerPart, payloadPart, signaturePart] = auth.token.split('.');
  let signatureOk = false;
  try {
    const verifier = createVerify('RSA-SHA256');
    verifier.update(`${headerPart}.${payloadPart}`);
    signatureOk = verifier.verify(app.publicKey, Buffer.from(signaturePart, 'base64url'));
  } catch {
    signatureOk = false;
  }
  if (!signatureOk) return JWT_MESSAGES.undecodable;
  const { iat, exp } = claims;
  if (typeof iat !== 'number' || !Number.isInteger(iat)) return JWT_MESSAGES.iat;
  if (typeof exp !== 'number' || !Number.isInteger(exp)) return JWT_MESSAGES.expired;
  if (iat > nowSeconds + 60) return JWT_MESSAGES.iat;
  if (exp > nowSeconds + 600 + 60 || exp - iat > 600) return JWT_MESSAGES.expTooFar;
  if (exp <= nowSeconds) return JWT_MESSAGES.expired;
  return undefined;
}

/**
 * Signs a JWT with RS256 (or the given header's alg, still signed with RSA-SHA256) for tests that
 * talk to the fake without the action. Claims are used verbatim.
 */
export function signJwt(
  privateKey: string | KeyObject,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = { alg: 'RS256', typ: 'JWT' }
): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const signingInput = `${encode(header)}.${encode(claims)}`;
  const signer = createSign('RSA-SHA256');
  signer.update(signingInput);
  return `${signingInput}.${signer.sign(key).toString('base64url')}`;
}

/** Convenience: an app JWT as a well-behaved client would build it (iat 60s back, exp 9 min ahead). */
export function appJwt(
  privateKey: string | KeyObject,
  iss: number | string,
  nowMs: number = Date.now(),
  overrides: Record<string, unknown> = {}
): string {
  const now = Math.floor(nowMs / 1000);
  return signJwt(privateKey, { iat: now - 60, exp: now + 540, iss, ...overrides });
}
