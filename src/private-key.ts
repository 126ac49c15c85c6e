/**
 * Turns the `private-key` input into a Node KeyObject, accepting the forms people store it in
 * (PKCS#1 as GitHub hands it out, PKCS#8, literal \n, CRLF, quotes, base64 of the PEM) and
 * refusing unusable keys with a message that says what is wrong. No message quotes the key.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { ActionError } from './errors.js';
import { shorten } from './untrusted.js';

const FIX = 'Paste the whole .pem file that GitHub generated for the app (App settings → Private keys) into the secret.';

/** Undo the usual ways a PEM gets mangled on its way into a secret. */
export function normalizeKeyText(raw: string): string {
  let text = raw.trim();
  const quoted = /^(["'])([\s\S]*)\1$/.exec(text);
  if (quoted) text = (quoted[2] ?? '').trim();
  text = text.replace(/\\r\\n|\\n|\\r/g, '\n').replace(/\r\n?/g, '\n');
  if (!text.includes('-----') && /^[A-Za-z0-9+/=\s_-]+$/.test(text)) {
    const decoded = Buffer.from(text.replace(/\s+/g, ''), 'base64').toString('utf8');
    if (decoded.includes('-----BEGIN')) return normalizeKeyText(decoded);
  }
  return text
    .split('\n')
    .map((line) => line.trim())
    .join('\n');
}

const PEM_MARKER = /-----(BEGIN|END) [A-Z0-9 ]*-----/;

/**
 * Lines worth masking: every line of the key body, in every form we may have seen it in. A PEM
 * flattened onto one line (spaces for newlines) is masked as its body and as each of its words.
 */
export function secretLines(raw: string): string[] {
  const lines = new Set<string>();
  for (const text of [raw, normalizeKeyText(raw)]) {
    for (const line of text.split(/\r?\n|\\n/)) {
      const trimmed = line.trim().replace(/^["']|["']$/g, '');
      if (!trimmed || /^-----(BEGIN|END) [A-Z0-9 ]*-----$/.test(trimmed)) continue;
      if (!PEM_MARKER.test(trimmed)) {
        lines.add(trimmed);
        continue;
      }
      const body = trimmed.replace(new RegExp(PEM_MARKER, 'g'), ' ').trim();
      if (body) lines.add(body);
      for (const word of body.split(/\s+/)) if (word.length >= 8) lines.add(word);
    }
  }
  return [...lines];
}

export function parsePrivateKey(raw: string): KeyObject {
  const text = normalizeKeyText(raw);
  const fail = (what: string) => new ActionError(`Input 'private-key' ${what} ${FIX}`);
  if (/BEGIN OPENSSH PRIVATE KEY/.test(text)) {
    throw fail('is an OpenSSH key; GitHub Apps use PEM keys (-----BEGIN RSA PRIVATE KEY-----).');
  }
  if (/BEGIN ENCRYPTED PRIVATE KEY|Proc-Type: 4,ENCRYPTED/.test(text)) {
    throw fail('is encrypted with a passphrase; the action needs the key as GitHub generated it, unencrypted.');
  }
  if (/BEGIN (RSA )?PUBLIC KEY|^ssh-(rsa|ed25519) /m.test(text)) {
    throw fail('is a public key; it must be the app\'s private key.');
  }
  if (/BEGIN CERTIFICATE/.test(text)) throw fail('is a certificate, not a private key.');
  if (/BEGIN (EC|DSA) PRIVATE KEY/.test(text)) throw fail('is not an RSA key; GitHub App keys are RSA.');
  const begin = /-----BEGIN ([A-Z ]+)-----/.exec(text);
  if (!begin) throw fail('has no "-----BEGIN ... PRIVATE KEY-----" line: it is not a PEM key (or only part of one).');
  if (!text.includes(`-----END ${begin[1]}-----`)) {
    throw fail(`has no matching "-----END ${shorten(begin[1] ?? '')}-----" line: the key looks truncated.`);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: text, format: 'pem' });
  } catch {
    throw fail('could not be read as a PEM private key: its body looks truncated or altered.');
  }
  if (key.asymmetricKeyType !== 'rsa') {
    throw fail(`is not an RSA key (it is ${key.asymmetricKeyType ?? 'of another type'}); GitHub App keys are RSA.`);
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < 2048) throw fail(`is an RSA key of ${bits} bits; GitHub requires at least 2048.`);
  return key;
}
