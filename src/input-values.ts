/** Reading single input values the way the runner passes them; shared by both steps. */
import { ActionError } from './errors.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The value of input `name` the way the runner passes it (INPUT_<NAME>), trimmed. */
export function inputFrom(env: Env): (name: string) => string {
  return (name) => (env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

/** Names of every input the runner passed, declared or not. */
export function inputNames(env: Env): string[] {
  return Object.keys(env)
    .filter((key) => key.startsWith('INPUT_'))
    .map((key) => key.slice('INPUT_'.length).toLowerCase());
}

/** The booleans GitHub's YAML (1.2 core schema) accepts. */
export function readBoolean(name: string, value: string, fallback: boolean): boolean {
  if (value === '') return fallback;
  if (['true', 'True', 'TRUE'].includes(value)) return true;
  if (['false', 'False', 'FALSE'].includes(value)) return false;
  throw new ActionError(`Input '${name}' is '${shorten(value)}'; use true or false.`);
}

/**
 * An input's value, fit to quote in a one-paragraph message. Inputs are not secret, but an
 * oversized one should not flood the log (cut at `max` characters, never inside an emoji or other
 * astral character), and line breaks, control characters and invisible format characters
 * (zero-width, bidi overrides) are shown escaped: they could not break the message over lines or
 * reorder it, and the reader sees why e.g. 'octo\u200borg' is not a valid name.
 */
export function shorten(value: string, max = 60): string {
  let end = 0;
  let count = 0;
  for (const char of value) {
    if (count++ === max) break;
    end += char.length;
  }
  const head = end < value.length ? `${value.slice(0, end)}…` : value;
  return head.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => {
    const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = char.codePointAt(0) ?? 0;
    return escapes[char] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}
