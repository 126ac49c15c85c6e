/** Reading single input values the way the runner passes them; shared by both steps. */
import type { Env } from './env.js';
import { ActionError } from './errors.js';
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

/**
 * The REST API root from 'github-api-url' (or GITHUB_API_URL), without a trailing slash. Main
 * and post both resolve it here, so post can tell whether the URL it saved is still the inputs'.
 */
export function readApiUrl(value: string, env: Env): string {
  const raw = value || env['GITHUB_API_URL'] || 'https://api.github.com';
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
  if (url.username || url.password || /[?#]/.test(url.href)) {
    throw new ActionError(`Input 'github-api-url' must be a plain base URL without credentials, query or fragment, e.g. https://ghe.example.com/api/v3.`);
  }
  return url.href.replace(/\/+$/, '');
}

/** localhost, 127.0.0.0/8 and ::1: traffic that never leaves the runner. */
function isLoopback(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, '');
  return host === 'localhost' || host === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
