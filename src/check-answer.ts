/**
 * What GitHub's answers hold has a known form: an app slug, a login, a repository or permission
 * name, a timestamp, an id. A value of another form did not come from GitHub (a proxy, a wrong
 * URL, a hostile server) and is refused before it reaches a log line, an output, git's config or
 * a URL, with one message naming the field.
 */
import { ActionError } from './errors.js';
import { untrusted } from './untrusted.js';

/** GitHub limits a token to this many repositories: a longer list is not GitHub's answer. */
export const MAX_ANSWER_REPOSITORIES = 500;
/** GitHub has fewer than 100 permissions. */
export const MAX_ANSWER_PERMISSIONS = 100;

const FORMS = {
  'an app slug': /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/,
  // logins as in the 'owner' input; enterprise slugs are lowercase letters, digits and hyphens
  'a login': /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/,
  'an enterprise slug': /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/,
  'a repository name': /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
  'a permission name': /^[a-z][a-z0-9_]{0,99}$/,
  'a permission level': /^(read|write|admin)$/,
  // ISO 8601 as GitHub writes it: 2026-11-21T10:00:00Z, with optional fraction or offset
  'a timestamp': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/
} as const;

export type Form = keyof typeof FORMS;

/** The one refusal: which answer, which field, what it held (escaped, cut) and what it should be. */
export function strangeAnswer(request: string, field: string, value: unknown, form: string, after = ''): ActionError {
  return new ActionError(
    `The answer to ${request} has ${field} '${untrusted(typeof value === 'string' ? value : JSON.stringify(value) ?? '', 60)}', which is not ${form}: GitHub does not send that. Check that 'github-api-url' is the REST API root (e.g. https://ghe.example.com/api/v3) and that no proxy answers in GitHub's place.${after}`
  );
}

/** `value` if it has `form`; otherwise the refusal. */
export function checkForm(request: string, field: string, value: unknown, form: Form, after = ''): string {
  if (typeof value === 'string' && FORMS[form].test(value) && (form !== 'a timestamp' || !Number.isNaN(Date.parse(value)))) return value;
  throw strangeAnswer(request, field, value, form, after);
}

export function isTimestamp(value: string): boolean {
  return FORMS['a timestamp'].test(value) && !Number.isNaN(Date.parse(value));
}

/** A positive whole number JavaScript holds exactly. */
export function checkId(request: string, field: string, value: unknown, after = ''): number {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  throw strangeAnswer(request, field, value, 'a positive whole number', after);
}

/** A permissions object as GitHub sends it: at most 100 names of GitHub's form, each with a level. */
export function checkPermissions(request: string, value: object, after = ''): Record<string, string> {
  const entries = Array.isArray(value) ? [['[]', value] as const] : Object.entries(value);
  if (entries.length > MAX_ANSWER_PERMISSIONS) {
    throw strangeAnswer(request, `${entries.length} permissions, the first`, entries[0]?.[0], `one of at most ${MAX_ANSWER_PERMISSIONS}`, after);
  }
  const checked: Record<string, string> = {};
  for (const [name, level] of entries) {
    checked[checkForm(request, 'a permission', name, 'a permission name', after)] = checkForm(request, `the level of permission '${name}'`, level, 'a permission level', after);
  }
  return checked;
}

