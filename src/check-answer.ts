/**
 * What GitHub's answers hold has a known form (github-forms.ts): an app slug, a login, a
 * repository or permission name, a timestamp, an id. A value of another form did not come from
 * GitHub (a proxy, a wrong URL, a hostile server) and is refused before it reaches a log line, an
 * output, git's config or a URL, with one message naming the field. What the message quotes of it
 * is redacted first, then cut: a server may echo a secret into any field.
 */
import { ActionError } from './errors.js';
import { describeRequest } from './github.js';
import { hasForm, MAX_REPOSITORIES, type Form } from './github-forms.js';
import type { Token } from './token.js';
import { untrusted } from './untrusted.js';

/** GitHub has fewer than 100 permissions. */
export const MAX_ANSWER_PERMISSIONS = 100;

export interface AnswerContext {
  /** from describeRequest */
  readonly request: string;
  /** appended to every refusal, e.g. that post revokes the token */
  readonly after?: string;
  /** removes the run's secrets from a value before it is quoted */
  readonly redact?: (text: string) => string;
}

export interface AnswerChecker {
  /** the one refusal: which field, what it held and what it should be */
  strange(field: string, value: unknown, form: string): ActionError;
  /** `value` if it has `form`; otherwise the refusal */
  form(field: string, value: unknown, form: Form): string;
  /** a positive whole number JavaScript holds exactly */
  id(field: string, value: unknown): number;
  /** a permissions object as GitHub sends it: at most 100 names of GitHub's form, each with a level */
  permissions(value: object): Record<string, string>;
}

export function answerChecker({ request, after = '', redact = (text) => text }: AnswerContext): AnswerChecker {
  const strange = (field: string, value: unknown, form: string): ActionError => {
    const text = redact(typeof value === 'string' ? value : (JSON.stringify(value) ?? ''));
    return new ActionError(
      `The answer to ${request} has ${field} '${untrusted(text, 60)}', which is not ${form}: GitHub does not send that. Check that 'github-api-url' is the REST API root (e.g. https://ghe.example.com/api/v3) and that no proxy answers in GitHub's place.${after}`
    );
  };
  const form = (field: string, value: unknown, wanted: Form): string => {
    if (hasForm(wanted, value)) return value as string;
    throw strange(field, value, wanted);
  };
  return {
    strange,
    form,
    id(field, value) {
      if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
      throw strange(field, value, 'a positive whole number');
    },
    permissions(value) {
      const entries = Array.isArray(value) ? [['[]', value] as const] : Object.entries(value);
      if (entries.length > MAX_ANSWER_PERMISSIONS) throw strange(`${entries.length} permissions, the first`, entries[0]?.[0], `one of at most ${MAX_ANSWER_PERMISSIONS}`);
      const checked: Record<string, string> = {};
      for (const [name, level] of entries) checked[form('a permission', name, 'a permission name')] = form(`the level of permission '${name}'`, level, 'a permission level');
      return checked;
    }
  };
}

/** Said when a checked field of the token answer is refused: by then the token exists. */
const REVOKED_BY_POST = ' The post step revokes the token it minted.';

export interface TokenAnswer {
  readonly token: Token;
  readonly installationId: number;
  readonly redact: (text: string) => string;
}

/**
 * The token answer's other fields, checked after the token is saved for post (it exists by
 * then, whatever the rest of the answer holds): an expiry that is a timestamp, permission names
 * and levels, repository names, and no more of them than GitHub grants.
 */
export function checkTokenAnswer({ token, installationId, redact }: TokenAnswer): void {
  const request = describeRequest('POST /app/installations/{installation_id}/access_tokens', { installation_id: installationId });
  const check = answerChecker({ request, after: REVOKED_BY_POST, redact });
  check.form('expires_at', token.expiresAt, 'a timestamp');
  check.permissions(token.permissions);
  if (token.repositories.length > MAX_REPOSITORIES) {
    throw check.strange(`${token.repositories.length} repositories, the first`, token.repositories[0], `one of at most ${MAX_REPOSITORIES} (GitHub's limit for a token)`);
  }
  for (const name of token.repositories) check.form('a repository', name, 'a repository name');
}

export function isTimestamp(value: string): boolean {
  return hasForm('a timestamp', value);
}

