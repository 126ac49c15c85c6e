import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeKeyText, parsePrivateKey, secretLines } from '../../src/private-key.js';

const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const pkcs1 = rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const pkcs8 = rsa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const bodyLines = pkcs1.split('\n').filter((l) => l && !l.startsWith('-----'));

function expectKeyError(raw: string, pattern: RegExp): string {
  let message = '';
  try {
    parsePrivateKey(raw);
  } catch (error) {
    message = (error as Error).message;
  }
  expect(message).toMatch(/^Input 'private-key' /);
  expect(message).toMatch(pattern);
  // no message may quote any part of the key
  for (const line of raw.split(/\r?\n|\\n/).filter((l) => l.length >= 8 && !l.startsWith('-----'))) {
    expect(message).not.toContain(line);
  }
  return message;
}

describe('accepted key forms', () => {
  const forms: Record<string, string> = {
    'PKCS#1': pkcs1,
    'PKCS#8': pkcs8,
    'literal \\n': pkcs1.trim().replace(/\n/g, '\\n'),
    CRLF: pkcs1.replace(/\n/g, '\r\n'),
    'surrounding whitespace': `\n\n   ${pkcs1}   \n`,
    'double quotes': `"${pkcs1.trim()}"`,
    'single quotes with literal \\n': `'${pkcs8.trim().replace(/\n/g, '\\n')}'`,
    'base64 of the PEM': Buffer.from(pkcs1).toString('base64'),
    'base64 of the PEM, wrapped': Buffer.from(pkcs8).toString('base64').replace(/(.{76})/g, '$1\n'),
    'indented lines': pkcs1.split('\n').map((l) => `    ${l}`).join('\n')
  };
  for (const [name, raw] of Object.entries(forms)) {
    it(`reads ${name}`, () => {
      const key = parsePrivateKey(raw);
      expect(key.asymmetricKeyType).toBe('rsa');
      expect(key.export({ type: 'pkcs1', format: 'pem' }).toString()).toBe(pkcs1);
    });
  }
});

describe('unusable keys', () => {
  it('says the input is truncated when the END line is missing', () => {
    expectKeyError(pkcs1.slice(0, 400), /no matching "-----END RSA PRIVATE KEY-----" line: the key looks truncated/);
  });
  it('says the body is damaged when lines are missing between BEGIN and END', () => {
    const lines = pkcs1.split('\n');
    expectKeyError([...lines.slice(0, 5), ...lines.slice(-3)].join('\n'), /could not be read as a PEM private key/);
  });
  it('says the BEGIN line is missing', () => {
    expectKeyError(bodyLines.join('\n'), /has no "-----BEGIN \.\.\. PRIVATE KEY-----" line/);
  });
  it('rejects a public key', () => {
    expectKeyError(rsa.publicKey.export({ type: 'spki', format: 'pem' }).toString(), /is a public key/);
    expectKeyError(rsa.publicKey.export({ type: 'pkcs1', format: 'pem' }).toString(), /is a public key/);
  });
  it('rejects an encrypted key', () => {
    const encrypted = rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expectKeyError(encrypted, /is encrypted with a passphrase/);
    const legacy = rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'pw' }).toString();
    expectKeyError(legacy, /is encrypted with a passphrase/);
  });
  it('rejects an RSA key under 2048 bits', () => {
    const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    expectKeyError(small, /RSA key of 1024 bits; GitHub requires at least 2048/);
  });
  it('rejects non-RSA keys, in SEC1 and in PKCS#8 form', () => {
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
    expectKeyError(ec.export({ type: 'sec1', format: 'pem' }).toString(), /is not an RSA key/);
    expectKeyError(ec.export({ type: 'pkcs8', format: 'pem' }).toString(), /is not an RSA key \(it is ec\)/);
    const ed = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expectKeyError(ed, /is not an RSA key \(it is ed25519\)/);
  });
  it('rejects an OpenSSH key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssh-'));
    let openssh: string;
    try {
      execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'k')]);
      openssh = readFileSync(join(dir, 'k'), 'utf8');
    } catch {
      openssh = `-----BEGIN OPENSSH PRIVATE KEY-----\n${bodyLines.slice(0, 5).join('\n')}\n-----END OPENSSH PRIVATE KEY-----\n`;
    }
    expectKeyError(openssh, /is an OpenSSH key/);
  });
  it('rejects a certificate', () => {
    const cert = `-----BEGIN CERTIFICATE-----\n${bodyLines.slice(0, 6).join('\n')}\n-----END CERTIFICATE-----\n`;
    expectKeyError(cert, /is a certificate, not a private key/);
  });
  it('rejects text that is not a key at all, without echoing it', () => {
    expectKeyError('my-super-secret-value-that-is-no-key', /has no "-----BEGIN/);
  });
});

describe('secretLines', () => {
  it('lists every body line of the key, in each form it may be seen in, and no marker line', () => {
    const lines = secretLines(pkcs1.trim().replace(/\n/g, '\\n'));
    for (const line of bodyLines) expect(lines).toContain(line);
    expect(lines.some((l) => l.startsWith('-----'))).toBe(false);
  });
  it('includes the base64 form as given', () => {
    const b64 = Buffer.from(pkcs1).toString('base64');
    const lines = secretLines(b64);
    expect(lines).toContain(b64);
    for (const line of bodyLines) expect(lines).toContain(line);
  });
  it('normalizes CRLF and quotes', () => {
    expect(normalizeKeyText(`"${pkcs1.replace(/\n/g, '\r\n')}"`)).toBe(pkcs1.trim());
  });
});

describe('secretLines for a key flattened onto one line', () => {
  it('masks its body whole and each 64-character line of it, but no BEGIN/END word', () => {
    for (const flat of [pkcs1.trim().replace(/\n/g, ' '), `"${pkcs1.trim().replace(/\n/g, ' ')}"`, pkcs1.trim().replace(/\n/g, '')]) {
      const masked = secretLines(flat);
      for (const line of bodyLines.filter((l) => l.length >= 8 && flat.includes(` ${l} `))) expect(masked).toContain(line);
      expect(masked).toContain(flat.replace(/^"|"$/g, '').replace(/-----(BEGIN|END) RSA PRIVATE KEY-----/g, ' ').trim());
      for (const value of masked) expect(value).not.toMatch(/^(RSA|PRIVATE|KEY-----|-----BEGIN|-----END)$|-----/);
    }
  });
  it('leaves a key with line breaks masked line by line, as before', () => {
    expect(secretLines(pkcs1).sort()).toEqual([...new Set(bodyLines)].sort());
  });
});
