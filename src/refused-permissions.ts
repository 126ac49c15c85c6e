/**
 * GitHub's 422 for permissions says only that they are not granted. The installation the lookup
 * returned carries what it was granted: name the inputs asking for more, as the user wrote them.
 */
import { PERMISSIONS } from './permissions.generated.js';
import { untrusted } from './untrusted.js';

/** Higher includes lower: a `write` grant serves a `read` request. */
const RANK: Readonly<Record<string, number>> = { read: 1, write: 2, admin: 3 };

/**
 * The requested permissions the installation lacks, as "permission-issues: write (granted: read)";
 * empty when `granted` is unknown (the installation was not looked up) or covers them all.
 */
export function missingPermissions(requested: Readonly<Record<string, string>>, granted: Readonly<Record<string, unknown>> | undefined): string[] {
  if (!granted) return [];
  return Object.entries(requested)
    .filter(([name, level]) => {
      const has = granted[name];
      return typeof has !== 'string' || (RANK[has] ?? 0) < (RANK[level] ?? Infinity);
    })
    .map(([name, level]) => {
      const has = granted[name];
      return `${inputFor(name)}: ${level} (granted: ${typeof has === 'string' ? untrusted(has, 20) : 'none'})`;
    });
}

/** The input name for an API permission name: pull_requests → permission-pull-requests. */
export function inputFor(name: string): string {
  return PERMISSIONS.find((p) => p.name === name)?.input ?? `permission-${name.replace(/_/g, '-')}`;
}
