/**
 * GitHub's forms for names and times, in one place: the inputs are checked against them before any
 * request, and the server's answers before their values are used (check-answer.ts).
 */

/** Logins (users, organisations) and app slugs: letters, digits, '-' and '_', starting with a letter or digit. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/;

export const FORMS = {
  'an app slug': LOGIN,
  'a login': LOGIN,
  // the `my-enterprise` of github.com/enterprises/my-enterprise
  'an enterprise slug': /^[a-z0-9](?:[a-z0-9-]{0,98}[a-z0-9])?$/,
  'a repository name': /^(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
  'a permission name': /^[a-z][a-z0-9_]{0,99}$/,
  'a permission level': /^(read|write|admin)$/,
  // ISO 8601 as GitHub writes it: 2026-11-21T10:00:00Z, with optional fraction or offset
  'a timestamp': /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/
} as const;

export type Form = keyof typeof FORMS;

/** GitHub limits a token to this many repositories. */
export const MAX_REPOSITORIES = 500;

export function hasForm(form: Form, value: unknown): boolean {
  return typeof value === 'string' && FORMS[form].test(value) && (form !== 'a timestamp' || !Number.isNaN(Date.parse(value)));
}

/** A time for messages: ISO 8601 to the second, or `unknown` when no date can show it. */
export function isoTime(ms: number, unknown = 'an unknown time'): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? unknown : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
