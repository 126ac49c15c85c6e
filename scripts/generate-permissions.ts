// Generates the permission table from GitHub's OpenAPI description (@octokit/openapi):
//   - src/permissions.generated.ts: PERMISSIONS, one entry per `app-permissions` property;
//   - the `permission-*` inputs between the GENERATED markers in action.yml.
// Usage: node scripts/generate-permissions.ts [--check]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { stringify } from 'yaml';
import {
  ACTION_YML,
  ROOT,
  isEntryPoint,
  markerIndent,
  replaceBetweenMarkers,
  writeOrCheck,
  type GeneratedFile
} from './action-yml.ts';

export const PERMISSIONS_MODULE = path.join(ROOT, 'src', 'permissions.generated.ts');
export const ACTION_YML_BEGIN = '# BEGIN GENERATED permission inputs (npm run generate)';
export const ACTION_YML_END = '# END GENERATED permission inputs';
export const INPUT_PREFIX = 'permission-';

/** PermissionSpec of src/permissions.generated.ts, plus the OpenAPI description (for action.yml only: the bundle does not need it). */
export interface PermissionSpec {
  readonly name: string;
  readonly input: string;
  readonly levels: readonly string[];
  readonly description: string;
}

export interface OpenApiSource {
  readonly document: unknown;
  readonly version: string;
}

const requireHere = createRequire(import.meta.url);

/** Loads the bundled api.github.com OpenAPI document and the @octokit/openapi version. */
export function loadOpenApi(): OpenApiSource {
  const pkgPath = requireHere.resolve('@octokit/openapi/package.json');
  const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { version?: unknown };
  if (typeof pkg.version !== 'string') throw new Error(`${pkgPath}: no version`);
  const docPath = path.join(path.dirname(pkgPath), 'generated', 'api.github.com.json');
  return { document: JSON.parse(readFileSync(docPath, 'utf8')) as unknown, version: pkg.version };
}

/** `pull_requests` → `permission-pull-requests`. */
export function inputName(permission: string): string {
  return INPUT_PREFIX + permission.replaceAll('_', '-');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Reads `components.schemas['app-permissions'].properties` and returns one spec per
 * property, sorted by name. Throws if the schema is missing or a property is not a
 * string enum, so an upstream change of shape fails loudly instead of generating junk.
 */
export function readPermissionSchema(document: unknown = loadOpenApi().document): PermissionSpec[] {
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
    const levels = raw.enum as unknown[];
    if (levels.length === 0 || !levels.every((l) => typeof l === 'string' && /^[a-z_]+$/.test(l))) {
      throw new Error(`OpenAPI: permission ${name} has unexpected levels ${JSON.stringify(levels)}`);
    }
    if (new Set(levels).size !== levels.length) {
      throw new Error(`OpenAPI: permission ${name} repeats a level`);
    }
    const description = typeof raw.description === 'string' ? raw.description.replace(/\s+/g, ' ').trim() : '';
    if (description === '') throw new Error(`OpenAPI: permission ${name} has no description`);
    return { name, input: inputName(name), levels: levels as string[], description };
  });
  return specs.sort((a, b) => compareCodeUnits(a.name, b.name));
}

/** A single-quoted TypeScript string literal. */
export function tsString(value: string): string {
  const named: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t' };
  let out = "'";
  for (const ch of value) {
    const code = ch.charCodeAt(0);
    if (ch in named) out += named[ch];
    else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
      out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else out += ch;
  }
  return `${out}'`;
}

/** The full text of src/permissions.generated.ts for these specs (sorted by name). */
export function renderPermissionsModule(specs: readonly PermissionSpec[], version: string): string {
  const sorted = [...specs].sort((a, b) => compareCodeUnits(a.name, b.name));
  const entries = sorted.map((s) =>
    [
      '  {',
      `    name: ${tsString(s.name)},`,
      `    input: ${tsString(s.input)},`,
      `    levels: [${s.levels.map(tsString).join(', ')}]`,
      '  }'
    ].join('\n')
  );
  return [
    '// This file is generated by `npm run generate` (scripts/generate-permissions.ts)',
    `// from components.schemas['app-permissions'] in @octokit/openapi ${version}.`,
    '// Do not edit it by hand: update @octokit/openapi and run `npm run generate` instead.',
    '',
    'export interface PermissionSpec {',
    '  /** API name, as in the permissions body: pull_requests */',
    '  readonly name: string;',
    '  /** action input: permission-pull-requests */',
    '  readonly input: string;',
    '  /** levels GitHub accepts for it, from the OpenAPI enum */',
    '  readonly levels: readonly string[];',
    '}',
    '',
    `export const PERMISSIONS: readonly PermissionSpec[] = [`,
    entries.join(',\n'),
    '];',
    ''
  ].join('\n');
}

/** The sentence naming the accepted levels, appended to each input's description. */
export function levelsSentence(levels: readonly string[]): string {
  return levels.length === 1 ? `Only: ${levels[0]}.` : `One of: ${levels.join(', ')}.`;
}

/** The action.yml description of a permission input. */
export function inputDescription(spec: PermissionSpec): string {
  const base = /[.!?]$/.test(spec.description) ? spec.description : `${spec.description}.`;
  return `${base} ${levelsSentence(spec.levels)}`;
}

/** A YAML scalar on one line: plain when safe, otherwise quoted by the yaml package. */
export function yamlScalar(value: string): string {
  const out = stringify(value, { lineWidth: 0, minContentWidth: 0 }).replace(/\n$/, '');
  // Block scalars (e.g. for text with newlines) would span lines; JSON strings are valid YAML.
  return out.includes('\n') ? JSON.stringify(value) : out;
}

/** The lines that go between the markers in action.yml, indented like the markers. */
export function renderActionYmlBlock(specs: readonly PermissionSpec[], indent = '  '): string[] {
  const sorted = [...specs].sort((a, b) => compareCodeUnits(a.name, b.name));
  return sorted.flatMap((s) => [
    `${indent}${s.input}:`,
    `${indent}  description: ${yamlScalar(inputDescription(s))}`,
    `${indent}  required: false`
  ]);
}

/** action.yml with the generated block replaced; everything outside the markers is kept. */
export function renderActionYml(currentText: string, specs: readonly PermissionSpec[]): string {
  const indent = markerIndent(currentText, ACTION_YML_BEGIN);
  return replaceBetweenMarkers(
    currentText,
    ACTION_YML_BEGIN,
    ACTION_YML_END,
    renderActionYmlBlock(specs, indent),
    'action.yml'
  );
}

/** Both generated files, rendered from the current OpenAPI document and action.yml. */
export function generatedFiles(source: OpenApiSource = loadOpenApi()): GeneratedFile[] {
  const specs = readPermissionSchema(source.document);
  return [
    { path: PERMISSIONS_MODULE, content: renderPermissionsModule(specs, source.version) },
    { path: ACTION_YML, content: renderActionYml(readFileSync(ACTION_YML, 'utf8'), specs) }
  ];
}

export function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: node scripts/generate-permissions.ts [--check] (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  return writeOrCheck(generatedFiles(), argv.includes('--check'));
}

if (isEntryPoint(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
