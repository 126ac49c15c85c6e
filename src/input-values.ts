/** Reading single input values the way the runner passes them; shared by both steps. */
import type { Env } from './env.js';
import { ActionError } from './errors.js';
import { isLoopback } from './loopback.js';
import { shorten } from './untrusted.js';

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

/** user:password@ before the host; for a URL that does not parse, any '@' at all, to be safe. */
function hasCredentials(raw: string): boolean {
  try {
    const url = new URL(raw);
    return Boolean(url.username || url.password);
  } catch {
    return raw.includes('@');
  }
}

/**
 * The REST API root from 'github-api-url' (or GITHUB_API_URL), without a trailing slash. Main
 * and post both resolve it here, so post can tell whether the URL it saved is still the inputs'.
 */
export function readApiUrl(value: string, env: Env): string {
  const raw = value || env['GITHUB_API_URL'] || 'https://api.github.com';
  // Before any message quotes the URL: a quote, cut short, would show the password past the mask.
  if (hasCredentials(raw)) {
    throw new ActionError(
      `Input 'github-api-url' has credentials in it (user:password@ before the host); it is not quoted here, to keep them out of the log. Remove them: the action authenticates with the app's JWT and token, e.g. https://ghe.example.com/api/v3.`
    );
  }
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ActionError(`Input 'github-api-url' ('${shorten(raw)}') is not an absolute URL. Use e.g. https://api.github.com or https://ghe.example.com/api/v3.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ActionError(`Input 'github-api-url' must be an http(s) URL, not '${shorten(url.protocol)}'. Use e.g. https://ghe.example.com/api/v3.`);
  }
  if (url.protocol === 'http:' && !isLoopback(url.hostname)) {
    throw new ActionError(
      `Input 'github-api-url' ('${shorten(raw)}') uses http:// for a host that is not this machine: the app's JWT (good for every installation of the app) and the token would travel unencrypted, readable by anything on the way. Use https:// (e.g. https://ghe.example.com/api/v3); plain http:// is accepted only for loopback (localhost, 127.0.0.0/8, ::1).`
    );
  }
  // A bare '?' or '#' leaves search and hash empty but stays in href, where request paths would follow it.
  if (/[?#]/.test(url.href)) {
    throw new ActionError(`Input 'github-api-url' must be a plain base URL without a query or fragment, e.g. https://ghe.example.com/api/v3.`);
  }
  return url.href.replace(/\/+$/, '');
}

