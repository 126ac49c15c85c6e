// Where the permission inputs come from: the `app-permissions` schemas of the api.github.com, ghec
// and newest GHES descriptions in @octokit/openapi (their union), plus the retired names kept in
// scripts/retired-permissions.json so workflows written for actions/create-github-app-token run.
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** PermissionSpec of src/permissions.generated.ts, plus what only action.yml needs (its description). */
export interface PermissionSpec {
  readonly name: string;
  readonly input: string;
  readonly levels: readonly string[];
  readonly description: string;
  /** the descriptions that list it, when api.github.com's does not: ['ghec'], ['ghec', 'ghes-3.19'] */
  readonly onlyIn?: readonly string[];
  /** retired: the @octokit/openapi version whose descriptions dropped it */
  readonly retired?: string;
  /** retired: what to use instead, for the input's deprecation message */
  readonly hint?: string;
}

export interface OpenApiDocument {
  /** the file's base name in @octokit/openapi/generated: api.github.com, ghec, ghes-3.19 */
  readonly name: string;
  readonly document: unknown;
}

export interface OpenApiSource {
  /** api.github.com, ghec, newest GHES: in this order (the first to list a permission describes it) */
  readonly documents: readonly OpenApiDocument[];
  readonly version: string;
}

export const INPUT_PREFIX = 'permission-';
export const RETIRED_FILE = fileURLToPath(new URL('retired-permissions.json', import.meta.url));

const requireHere = createRequire(import.meta.url);
const LEVEL_ORDER = ['read', 'write', 'admin'];

/** `pull_requests` → `permission-pull-requests`. */
export function inputName(permission: string): string {
  return INPUT_PREFIX + permission.replaceAll('_', '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The newest `ghes-X.Y` among file base names, by version number (3.10 is newer than 3.9). */
export function newestGhes(names: readonly string[]): string {
  const ghes = names
    .map((n) => /^ghes-(\d+)\.(\d+)$/.exec(n))
    .filter((m): m is RegExpExecArray => m !== null)
    .sort((a, b) => Number(b[1]) - Number(a[1]) || Number(b[2]) - Number(a[2]));
  if (!ghes[0]) throw new Error('@octokit/openapi: no ghes-X.Y description found');
  return ghes[0][0];
}

/** Loads the three descriptions from the installed @octokit/openapi, and its version. */
export function loadOpenApi(): OpenApiSource {
  const pkgPath = requireHere.resolve('@octokit/openapi/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${pkgPath}: no version`);
  const dir = path.join(path.dirname(pkgPath), 'generated');
  const bases = readdirSync(dir).filter((f) => f.endsWith('.json') && !f.endsWith('.deref.json')).map((f) => f.slice(0, -'.json'.length));
  const names = ['api.github.com', 'ghec', newestGhes(bases)];
  const documents = names.map((name) => ({ name, document: JSON.parse(readFileSync(path.join(dir, `${name}.json`), 'utf8')) as unknown }));
  return { documents, version: pkg.version };
}

/**
 * Reads `components.schemas['app-permissions'].properties` and returns one spec per
 * property, sorted by name. Throws if the schema is missing or a property is not a
 * string enum, so an upstream change of shape fails loudly instead of generating junk.
 */
export function readPermissionSchema(document: unknown): PermissionSpec[] {
  const components = isRecord(document) ? document.components : undefined;
  const schemas = isRecord(components) ? components.schemas : undefined;
  const schema = isRecord(schemas) ? schemas['app-permissions'] : undefined;
  const properties = isRecord(schema) ? schema.properties : undefined;
  if (!isRecord(properties)) {
    throw new Error("OpenAPI: components.schemas['app-permissions'].properties not found");
  }
  const specs = Object.entries(properties).map(([name, raw]): PermissionSpec => {
    if (!/^[a-z][a-z0-9_]*$/.test(name)) {
      throw new Error(`OpenAPI: unexpected permission name ${JSON.stringify(name)}`);
    }
    if (!isRecord(raw) || raw.type !== 'string' || !Array.isArray(raw.enum)) {
      throw new Error(`OpenAPI: permission ${name} is not a string enum`);
    }
    const levels = checkLevels(name, raw.enum as unknown[]);
    const description = typeof raw.description === 'string' ? raw.description.replace(/\s+/g, ' ').trim() : '';
    if (description === '') throw new Error(`OpenAPI: permission ${name} has no description`);
    return { name, input: inputName(name), levels, description };
  });
  return specs.sort((a, b) => compareCodeUnits(a.name, b.name));
}

function checkLevels(name: string, levels: unknown[]): string[] {
  if (levels.length === 0 || !levels.every((l) => typeof l === 'string' && /^[a-z_]+$/.test(l))) {
    throw new Error(`OpenAPI: permission ${name} has unexpected levels ${JSON.stringify(levels)}`);
  }
  if (new Set(levels).size !== levels.length) {
    throw new Error(`OpenAPI: permission ${name} repeats a level`);
  }
  return levels as string[];
}

/** Levels of both lists, read/write/admin first in that order. */
function mergeLevels(a: readonly string[], b: readonly string[]): string[] {
  const all = [...new Set([...a, ...b])];
  const rank = (l: string) => (LEVEL_ORDER.includes(l) ? LEVEL_ORDER.indexOf(l) : LEVEL_ORDER.length);
  return all.sort((x, y) => rank(x) - rank(y));
}

/**
 * The union of the documents' permissions: described by the first document that lists each
 * (api.github.com before ghec before GHES), levels merged, and marked with the documents that list
 * it when api.github.com's does not.
 */
export function permissionUnion(documents: readonly OpenApiDocument[]): PermissionSpec[] {
  const byName = new Map<string, PermissionSpec>();
  const seenIn = new Map<string, string[]>();
  for (const { name: source, document } of documents) {
    for (const spec of readPermissionSchema(document)) {
      const known = byName.get(spec.name);
      byName.set(spec.name, known ? { ...known, levels: mergeLevels(known.levels, spec.levels) } : spec);
      seenIn.set(spec.name, [...(seenIn.get(spec.name) ?? []), source]);
    }
  }
  return [...byName.values()]
    .map((spec) => {
      const sources = seenIn.get(spec.name) ?? [];
      return sources.includes('api.github.com') ? spec : { ...spec, onlyIn: sources };
    })
    .sort((a, b) => compareCodeUnits(a.name, b.name));
}

/** The retired list, checked: each entry complete, none still listed by a description. */
export function readRetired(raw: unknown, current: readonly PermissionSpec[]): PermissionSpec[] {
  const list = isRecord(raw) ? raw.permissions : undefined;
  if (!Array.isArray(list)) throw new Error('retired-permissions.json: no "permissions" list');
  const currentNames = new Set(current.map((s) => s.name));
  return list.map((entry: unknown): PermissionSpec => {
    const e = isRecord(entry) ? entry : {};
    const name = typeof e.name === 'string' ? e.name : '';
    if (!/^[a-z][a-z0-9_]*$/.test(name)) throw new Error(`retired-permissions.json: bad name ${JSON.stringify(e.name)}`);
    if (currentNames.has(name)) {
      throw new Error(`retired-permissions.json: '${name}' is listed by @octokit/openapi again; remove it from the retired list`);
    }
    if (typeof e.droppedIn !== 'string' || !/^\d+\.\d+\.\d+$/.test(e.droppedIn)) {
      throw new Error(`retired-permissions.json: '${name}' needs "droppedIn", the @octokit/openapi version that dropped it`);
    }
    const description = typeof e.description === 'string' ? e.description.trim() : '';
    if (!description) throw new Error(`retired-permissions.json: '${name}' has no description`);
    const levels = checkLevels(name, Array.isArray(e.levels) ? (e.levels as unknown[]) : []);
    const hint = typeof e.hint === 'string' && e.hint.trim() ? e.hint.trim() : undefined;
    return { name, input: inputName(name), levels, description, retired: e.droppedIn, ...(hint ? { hint } : {}) };
  });
}

/** Every permission input: the union of the descriptions and the retired names, sorted by name. */
export function allPermissions(source: OpenApiSource, retiredRaw: unknown = JSON.parse(readFileSync(RETIRED_FILE, 'utf8'))): PermissionSpec[] {
  const current = permissionUnion(source.documents);
  return [...current, ...readRetired(retiredRaw, current)].sort((a, b) => compareCodeUnits(a.name, b.name));
}
