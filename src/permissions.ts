/** The `permission-*` inputs: checked against GitHub's levels, and typos caught by name. */
import { ActionError } from './errors.js';
import { shorten } from './untrusted.js';
import { PERMISSIONS, type PermissionSpec } from './permissions.generated.js';

export type PermissionLevels = Readonly<Record<string, string>>;

/**
 * The `permissions` body for GitHub, or undefined when no permission input is set (the token then
 * inherits every permission of the app). `read(input)` returns the input's raw value.
 */
export function readPermissions(read: (input: string) => string, inputNames: readonly string[]): PermissionLevels | undefined {
  rejectUnknown(inputNames);
  const chosen: Record<string, string> = {};
  for (const spec of PERMISSIONS) {
    const value = read(spec.input).trim().toLowerCase();
    if (!value) continue;
    if (!spec.levels.includes(value)) {
      throw new ActionError(
        `Input '${spec.input}' is '${shorten(read(spec.input).trim())}', but GitHub accepts only ${list(spec.levels)} for it. Leave it empty to not request the '${spec.name}' permission.`
      );
    }
    chosen[spec.name] = value;
  }
  return Object.keys(chosen).length > 0 ? chosen : undefined;
}

/** The runner passes undeclared `with:` keys on (and only warns), so a misspelt permission would be silently dropped. */
function rejectUnknown(inputNames: readonly string[]): void {
  const known = new Set(PERMISSIONS.map((p) => p.input));
  for (const name of inputNames) {
    if (!name.startsWith('permission') || known.has(name)) continue;
    const guess = closest(name);
    throw new ActionError(
      `Input '${shorten(name)}' is not a permission this action knows.${guess ? ` Did you mean '${guess.input}'?` : ''} Permission inputs are 'permission-' followed by the permission's name with hyphens, e.g. 'permission-pull-requests'.`
    );
  }
}

function closest(name: string): PermissionSpec | undefined {
  const wanted = name.toLowerCase().replace(/_/g, '-').replace(/^permissions?-?/, 'permission-');
  let best: PermissionSpec | undefined;
  let bestDistance = Infinity;
  for (const spec of PERMISSIONS) {
    const d = distance(wanted, spec.input);
    if (d < bestDistance) [best, bestDistance] = [spec, d];
  }
  return bestDistance <= Math.max(3, Math.floor(wanted.length / 4)) ? best : undefined;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function list(levels: readonly string[]): string {
  const quoted = levels.map((l) => `'${l}'`);
  return quoted.length === 1 ? quoted[0] ?? '' : `${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`;
}
