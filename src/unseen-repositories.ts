/**
 * GitHub's 422 for repositories does not say which name is wrong. On that failure only, ask
 * GitHub (with the app's JWT) which installation each named repository has, for the first few
 * names: those without this installation are the ones to fix.
 */
import { ApiError } from './errors.js';
import type { GitHub } from './github.js';

/** Lookups made on the failure path, at most. */
export const MAX_LOOKUPS = 10;

export interface UnseenRepositories {
  /** names whose installation is not this one (404, or another installation) */
  readonly unseen: readonly string[];
  /** how many names were looked up (the first MAX_LOOKUPS) */
  readonly checked: number;
}

export interface RefusedRepositories {
  readonly owner: string;
  /** the names the token was asked for, in the order given */
  readonly names: readonly string[];
  /** the installation that refused them */
  readonly installationId: number;
}

/** One name after another (in the order given, gentle on the app's rate limit). */
export async function findUnseenRepositories(github: GitHub, { owner, names, installationId }: RefusedRepositories): Promise<UnseenRepositories> {
  const checked = names.slice(0, MAX_LOOKUPS);
  const unseen: string[] = [];
  for (const name of checked) {
    if (!(await seenBy(github, { owner, names: [name], installationId }))) unseen.push(name);
  }
  return { unseen, checked: checked.length };
}

async function seenBy(github: GitHub, { owner, names: [name = ''], installationId }: RefusedRepositories): Promise<boolean> {
  try {
    const { data } = await github.request<{ id?: unknown }>({ app: true }, 'GET /repos/{owner}/{repo}/installation', { owner, repo: name });
    return data?.id === installationId;
  } catch (error) {
    // only GitHub's "no installation here" counts; any other failure leaves the name unjudged
    return !(error instanceof ApiError && error.status === 404 && !error.failure.foreign);
  }
}
