/** The token's scope, for the log and the job summary. Never the token; every value from GitHub escaped. */
import type { Installation } from './installation.js';
import type { Token } from './token.js';
import { untrusted } from './untrusted.js';

export interface Scope {
  readonly installation: Installation;
  readonly token: Token;
}

function permissionList(token: Token): string {
  const entries = Object.entries(token.permissions);
  return entries.length ? entries.map(([name, level]) => `${untrusted(name, 60)}: ${untrusted(level, 20)}`).join(', ') : 'none listed';
}

function repositoryList({ installation, token }: Scope): string {
  if (installation.enterprise) return 'none (an enterprise installation)';
  return token.repositories.length ? token.repositories.map((name) => untrusted(name, 100)).join(', ') : 'all';
}

export function scopeLine(scope: Scope): string {
  const { installation, token } = scope;
  const app = installation.appSlug ? `app '${untrusted(installation.appSlug, 100)}'` : 'the app';
  const account = installation.account ? ` on ${installation.enterprise ? 'enterprise ' : ''}'${untrusted(installation.account, 100)}'` : '';
  return `Token for ${app}, installation ${installation.id}${account}; repositories: ${repositoryList(scope)}; permissions: ${permissionList(token)}; expires at ${untrusted(token.expiresAt, 40)}.`;
}

// Markdown and HTML are the summary's syntax: a value must not open a tag or a new cell.
// Backslashes first, so a server's backslash before a '|' cannot cancel that pipe's escape.
const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;');

export function scopeMarkdown(scope: Scope): string {
  const { installation, token } = scope;
  const rows: [string, string][] = [
    ['App', installation.appSlug ? untrusted(installation.appSlug, 100) : '(not looked up)'],
    ['Installation', String(installation.id)],
    [installation.enterprise ? 'Enterprise' : 'Account', installation.account ? untrusted(installation.account, 100) : '(not looked up)'],
    ['Repositories', repositoryList(scope)],
    ['Permissions', permissionList(token)],
    ['Expires at', untrusted(token.expiresAt, 40)]
  ];
  return ['### GitHub App token', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n') + '\n';
}
