// The app's JWT as GitHub checks it: RS256, iss as given, iat 60 s back, exp 10 minutes after iat.
import { describe, expect, it } from '@jest/globals';
import { createPublicKey } from 'node:crypto';
import { jwtVerify } from 'jose';
import { signAppJwt } from '../../src/app-jwt.ts';
import { parsePrivateKey } from '../../src/private-key.ts';
import { generateAppKey } from '../support/runner.ts';

describe('signAppJwt', () => {
  it('signs RS256 with the issuer as given and GitHub-safe times', async () => {
    const { privateKeyPem } = generateAppKey('pkcs1');
    const key = parsePrivateKey(privateKeyPem);
    const jwt = await signAppJwt(key, 'Iv23liAbc', 1_700_000_000);
    const { payload, protectedHeader } = await jwtVerify(jwt, createPublicKey(key), { currentDate: new Date(1_700_000_000_000) });
    expect(protectedHeader).toEqual({ alg: 'RS256', typ: 'JWT' });
    expect(payload).toEqual({ iss: 'Iv23liAbc', iat: 1_700_000_000 - 60, exp: 1_700_000_000 - 60 + 600 });
  });
});
