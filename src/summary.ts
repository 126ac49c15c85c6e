/** The token's scope, for the log and the job summary. Never the token; every value from GitHub escaped. */
import type { Installation } from './installation.js';
import type { Token } from './token.js';
import { untrusted } from './untrusted.js';

export interface Scope {
  readonly installation: Installation;
  readonly token: Token;
}

/** How many repositories or permissions the log line and the summary list before "… and N more". */
export const MAX_LISTED = 50;

/** The runner refuses a step summary over 1 MiB; ours stays far below it, whatever the server sent. */
export const MAX_SUMMARY_BYTES = 64 * 1024;

type Escape = (value: unknown, max: number) => string;

/**
 * A server value for the summary, where Markdown and HTML are the syntax: it must not open a tag,
 * a new cell, a link or an image, nor become an autolink. Backslashes first, so a server's
 * backslash cannot cancel an escape; '://', 'www.' and '@' are broken up so GitHub's autolinking
 * sees no URL or address.
 */
export function markdownValue(value: unknown, max: number): string {
  return untrusted(value, max)
    .replace(/\\/g, '\\\\')
    .replace(/[|[\]!@]/g, (c) => `\\${c}`)
    .replace(/</g, '&lt;')
    .replace(/:\/\//g, ':\\/\\/')
    .replace(/(www)\./gi, '$1\\.');
}

function list(items: readonly string[], show: (item: string) => string): string {
  const shown = items.slice(0, MAX_LISTED).map(show).join(', ');
  return items.length > MAX_LISTED ? `${shown} … and ${items.length - MAX_LISTED} more` : shown;
}

function permissionList(token: Token, escape: Escape): string {
  const entries = Object.entries(token.permissions);
  return entries.length ? list(entries.map(([name, level]) => `${escape(name, 60)}: ${escape(level, 20)}`), (entry) => entry) : 'none listed';
}

function repositoryList({ installation, token }: Scope, escape: Escape): string {
  if (installation.enterprise) return 'none (an enterprise installation)';
  return token.repositories.length ? list(token.repositories, (name) => escape(name, 100)) : 'all';
}

export function scopeLine(scope: Scope): string {
  const { installation, token } = scope;
  const app = installation.appSlug ? `app '${untrusted(installation.appSlug, 100)}'` : 'the app';
  const account = installation.account ? ` on ${installation.enterprise ? 'enterprise ' : ''}'${untrusted(installation.account, 100)}'` : '';
  return `Token for ${app}, installation ${installation.id}${account}; repositories: ${repositoryList(scope, untrusted)}; permissions: ${permissionList(token, untrusted)}; expires at ${untrusted(token.expiresAt, 40)}.`;
}

export function scopeMarkdown(scope: Scope): string {
  const { installation, token } = scope;
  const rows: [string, string][] = [
    ['App', installation.appSlug ? markdownValue(installation.appSlug, 100) : '(not looked up)'],
    ['Installation', String(installation.id)],
    [installation.enterprise ? 'Enterprise' : 'Account', installation.account ? markdownValue(installation.account, 100) : '(not looked up)'],
    ['Repositories', repositoryList(scope, markdownValue)],
    ['Permissions', permissionList(token, markdownValue)],
    ['Expires at', markdownValue(token.expiresAt, 40)]
  ];
  return ['### GitHub App token', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${v} |`), ''].join('\n') + '\n';
}
