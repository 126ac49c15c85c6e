// Shared helpers for the code generators (generate-permissions.ts, readme-tables.ts):
// locating the repository, splicing text between marker lines, reading action.yml's
// inputs/outputs, and the write-or-check driver behind `npm run generate` / `--check`.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse } from 'yaml';

/** Repository root (the directory holding package.json and action.yml). */
export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const ACTION_YML = path.join(ROOT, 'action.yml');

/** True when the module whose import.meta.url is given is the process entry point. */
export function isEntryPoint(moduleUrl: string): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  return moduleUrl === pathToFileURL(path.resolve(entry)).href;
}

/** The line ending a text predominantly uses (CRLF if any line has one). */
export function lineEnding(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function findMarkerLine(lines: readonly string[], marker: string, from: number): number[] {
  const hits: number[] = [];
  for (let i = from; i < lines.length; i++) {
    if (lines[i].trim() === marker) hits.push(i);
  }
  return hits;
}

/**
 * Replaces the lines strictly between the line that is `begin` and the line that is
 * `end` (each compared after trimming, so markers may be indented) with `body`.
 * The marker lines and everything outside them are kept byte for byte.
 * `body` is a list of lines (without line endings); an empty list leaves the markers adjacent.
 * Throws when either marker is missing, repeated, or out of order.
 */
export function replaceBetweenMarkers(
  text: string,
  begin: string,
  end: string,
  body: readonly string[],
  fileLabel = 'file'
): string {
  const eol = lineEnding(text);
  const lines = text.split(/\r?\n/);
  const begins = findMarkerLine(lines, begin, 0);
  const ends = findMarkerLine(lines, end, 0);
  if (begins.length !== 1) {
    throw new Error(`${fileLabel}: expected exactly one line "${begin}", found ${begins.length}`);
  }
  if (ends.length !== 1) {
    throw new Error(`${fileLabel}: expected exactly one line "${end}", found ${ends.length}`);
  }
  const [b] = begins;
  const [e] = ends;
  if (e <= b) {
    throw new Error(`${fileLabel}: "${end}" must come after "${begin}"`);
  }
  return [...lines.slice(0, b + 1), ...body, ...lines.slice(e)].join(eol);
}

/** The indentation (leading spaces/tabs) of the line that is `marker`, or '' if absent. */
export function markerIndent(text: string, marker: string): string {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === marker) return /^[ \t]*/.exec(line)?.[0] ?? '';
  }
  return '';
}

export interface ActionInput {
  readonly name: string;
  readonly description: string;
  readonly required: boolean;
  /** The default as written in action.yml (stringified), or undefined when there is none. */
  readonly default?: string;
  readonly deprecationMessage?: string;
}

export interface ActionOutput {
  readonly name: string;
  readonly description: string;
}

export interface ActionMetadata {
  readonly inputs: readonly ActionInput[];
  readonly outputs: readonly ActionOutput[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function scalarText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  throw new Error(`expected a scalar, got ${JSON.stringify(value)}`);
}

/** Parses action.yml text into its inputs and outputs, in file order. */
export function parseActionYml(text: string): ActionMetadata {
  const doc: unknown = parse(text);
  if (!isRecord(doc)) throw new Error('action.yml: top level is not a mapping');
  const rawInputs = doc.inputs ?? {};
  const rawOutputs = doc.outputs ?? {};
  if (!isRecord(rawInputs)) throw new Error('action.yml: "inputs" is not a mapping');
  if (!isRecord(rawOutputs)) throw new Error('action.yml: "outputs" is not a mapping');

  const inputs: ActionInput[] = Object.entries(rawInputs).map(([name, raw]) => {
    const spec = isRecord(raw) ? raw : {};
    const required = spec.required;
    return {
      name,
      description: scalarText(spec.description) ?? '',
      required: required === true || required === 'true',
      default: scalarText(spec.default),
      deprecationMessage: scalarText(spec.deprecationMessage)
    };
  });
  const outputs: ActionOutput[] = Object.entries(rawOutputs).map(([name, raw]) => {
    const spec = isRecord(raw) ? raw : {};
    return { name, description: scalarText(spec.description) ?? '' };
  });
  return { inputs, outputs };
}

export interface GeneratedFile {
  /** Absolute path. */
  readonly path: string;
  /** The full content the file should have. */
  readonly content: string;
}

/** Files whose current content differs from `content` (a missing file counts as stale). */
export function staleFiles(files: readonly GeneratedFile[]): GeneratedFile[] {
  return files.filter((f) => !existsSync(f.path) || readFileSync(f.path, 'utf8') !== f.content);
}

/**
 * The CLI driver: with `check`, reports stale files and returns exit code 1 (0 when all
 * are current) without writing; otherwise writes the stale files and returns 0.
 */
export function writeOrCheck(files: readonly GeneratedFile[], check: boolean, root = ROOT): number {
  const stale = staleFiles(files);
  const label = (f: GeneratedFile): string => path.relative(root, f.path) || f.path;
  if (check) {
    if (stale.length === 0) return 0;
    for (const f of stale) console.error(`${label(f)} is out of date.`);
    console.error('Run `npm run generate` and commit the result.');
    return 1;
  }
  for (const f of stale) {
    writeFileSync(f.path, f.content);
    console.log(`wrote ${label(f)}`);
  }
  return 0;
}
