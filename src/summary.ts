/** The token's scope, for the log and the job summary. Never the token. */
import type { Installation } from './installation.js';
import type { Token } from './token.js';

export interface Scope {
  readonly installation: Installation;
  readonly token: Token;
}

function permissionList(token: Token): string {
  const entries = Object.entries(token.permissions);
  return entries.length ? entries.map(([name, level]) => `${name}: ${level}`).join(', ') : 'none listed';
}

function repositoryList({ installation, token }: Scope): string {
  if (installation.enterprise) return 'none (an enterprise installation)';
  return token.repositories.length ? token.repositories.join(', ') : 'all';
}

export function scopeLine(scope: Scope): string {
  const { installation, token } = scope;
  const app = installation.appSlug ? `app '${installation.appSlug}'` : 'the app';
  const account = installation.account ? ` on ${installation.enterprise ? 'enterprise ' : ''}'${installation.account}'` : '';
  return `Token for ${app}, installation ${installation.id}${account}; repositories: ${repositoryList(scope)}; permissions: ${permissionList(token)}; expires at ${token.expiresAt}.`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function scopeMarkdown(scope: Scope): string {
  const { installation, token } = scope;
  const rows: [string, string][] = [
    ['App', installation.appSlug || '(not looked up)'],
    ['Installation', String(installation.id)],
    [installation.enterprise ? 'Enterprise' : 'Account', installation.account || '(not looked up)'],
    ['Repositories', repositoryList(scope)],
    ['Permissions', permissionList(token)],
    ['Expires at', token.expiresAt]
  ];
  return ['### GitHub App token', '', '| | |', '| --- | --- |', ...rows.map(([k, v]) => `| ${k} | ${cell(v)} |`), ''].join('\n') + '\n';
}
