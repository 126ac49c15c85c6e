// Regenerates the input and output tables in README.md from action.yml.
// Permission inputs (permission-*) get their own table, with the levels from
// src/permissions.generated.ts (run generate-permissions.ts first; `npm run generate` does), and
// the release that first shipped each input from scripts/input-versions.ts.
// Usage: node scripts/readme-tables.ts [--check]
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PERMISSIONS, type PermissionSpec } from '../src/permissions.generated.ts';
import { INPUTS_SINCE } from './input-versions.ts';
import {
  ACTION_YML,
  ROOT,
  isEntryPoint,
  parseActionYml,
  replaceBetweenMarkers,
  writeOrCheck,
  type ActionInput,
  type ActionMetadata,
  type ActionOutput,
  type GeneratedFile
} from './action-yml.ts';

export const README = path.join(ROOT, 'README.md');
export const INPUTS_BEGIN = '<!-- BEGIN GENERATED inputs (npm run generate) -->';
export const INPUTS_END = '<!-- END GENERATED inputs -->';
export const OUTPUTS_BEGIN = '<!-- BEGIN GENERATED outputs (npm run generate) -->';
export const OUTPUTS_END = '<!-- END GENERATED outputs -->';
export const PERMISSION_PREFIX = 'permission-';

/** Text made safe for one Markdown table cell: newlines folded to spaces, pipes escaped. */
export function cell(text: string): string {
  return text
    .replace(/\s*\r?\n\s*/g, ' ')
    .trim()
    .replaceAll('|', '\\|');
}

/** An inline code span that survives backticks in the text (pipes still need escaping in tables). */
export function codeSpan(text: string): string {
  const longestRun = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)];
}

export function isPermissionInput(input: ActionInput): boolean {
  return input.name.startsWith(PERMISSION_PREFIX);
}

/** Which release first shipped each input: the names listed under each version. */
export type InputVersions = Readonly<Record<string, readonly string[]>>;

/** The cell of an input that no release lists yet (written by `npm run generate`, refused by the check). */
export const NO_RELEASE = '**?**';

/**
 * The release of each input. An input that no release lists throws, naming every such input, so
 * a new input cannot pass the check (or reach a release) without its version; with `mark`, as
 * `npm run generate` does (the weekly permission update must still open its pull request), it
 * gets NO_RELEASE and a warning instead.
 */
export function inputVersions(inputs: readonly ActionInput[], versions: InputVersions, mark = false): Map<string, string> {
  const since = new Map<string, string>();
  for (const [version, names] of Object.entries(versions)) for (const name of names) if (!since.has(name)) since.set(name, version);
  const missing = inputs.filter((i) => !since.has(i.name)).map((i) => i.name);
  if (missing.length > 0) {
    const message = `scripts/input-versions.ts gives no release for ${missing.map((m) => `'${m}'`).join(', ')}: add each under the version that will first ship it, then run \`npm run generate\`.`;
    if (!mark) throw new Error(message);
    console.error(`warning: ${message}`);
    for (const name of missing) since.set(name, NO_RELEASE);
  }
  return since;
}

function inputRow(input: ActionInput, since: string): string[] {
  const deprecated = input.deprecationMessage !== undefined ? ' _(deprecated)_' : '';
  return [
    cell(codeSpan(input.name)) + deprecated,
    input.required ? 'yes' : 'no',
    input.default === undefined ? '' : cell(codeSpan(input.default)),
    since,
    cell(input.description)
  ];
}

/**
 * Matches the permission inputs of action.yml with the generated specs, in action.yml order.
 * Throws if either side has one the other lacks (action.yml or the module is stale).
 */
export function permissionRows(inputs: readonly ActionInput[], specs: readonly PermissionSpec[], since: ReadonlyMap<string, string> = new Map()): string[][] {
  const byInput = new Map(specs.map((s) => [s.input, s]));
  const names = new Set(inputs.map((i) => i.name));
  const missingInYml = specs.filter((s) => !names.has(s.input)).map((s) => s.input);
  const unknown = inputs.filter((i) => !byInput.has(i.name)).map((i) => i.name);
  if (missingInYml.length > 0 || unknown.length > 0) {
    throw new Error(
      'action.yml and src/permissions.generated.ts disagree' +
        (missingInYml.length > 0 ? `; missing from action.yml: ${missingInYml.join(', ')}` : '') +
        (unknown.length > 0 ? `; unknown permission inputs: ${unknown.join(', ')}` : '') +
        '. Run `npm run generate`.'
    );
  }
  return inputs.map((input) => {
    const spec = byInput.get(input.name) as PermissionSpec;
    // action.yml's description ends with the levels sentence, which the table has a column for
    const description = input.description.replace(/\s*(One of|Only): [^.]*\.$/, '');
    return [cell(codeSpan(input.name)), spec.levels.map((l) => cell(codeSpan(l))).join(', '), since.get(input.name) ?? '', cell(description)];
  });
}

/** The lines between the inputs markers. */
export function renderInputsBlock(meta: ActionMetadata, specs: readonly PermissionSpec[], versions: InputVersions = INPUTS_SINCE, mark = false): string[] {
  const since = inputVersions(meta.inputs, versions, mark);
  const general = meta.inputs.filter((i) => !isPermissionInput(i));
  const permissions = meta.inputs.filter(isPermissionInput);
  return [
    '',
    '"Since" is the release that first has the input: pin at least that version.',
    '',
    ...table(['Input', 'Required', 'Default', 'Since', 'Description'], general.map((i) => inputRow(i, since.get(i.name) ?? ''))),
    '',
    '### Permission inputs',
    '',
    `One optional input per GitHub App permission (${permissions.length} in all), generated from GitHub's OpenAPI descriptions of api.github.com, GitHub Enterprise Cloud and the newest GitHub Enterprise Server, plus the retired names that \`actions/create-github-app-token\` declared (\`scripts/retired-permissions.json\`).`,
    '',
    ...table(['Input', 'Allowed levels', 'Since', 'Description'], permissionRows(permissions, specs, since)),
    ''
  ];
}

/** The lines between the outputs markers. */
export function renderOutputsBlock(meta: ActionMetadata): string[] {
  const rows = meta.outputs.map((o: ActionOutput) => [cell(codeSpan(o.name)), cell(o.description)]);
  return ['', ...table(['Output', 'Description'], rows), ''];
}

/** README.md with both generated blocks replaced; everything outside the markers is kept. */
export function renderReadme(
  readmeText: string,
  actionYmlText: string,
  specs: readonly PermissionSpec[] = PERMISSIONS,
  versions: InputVersions = INPUTS_SINCE,
  mark = false
): string {
  const meta = parseActionYml(actionYmlText);
  const withInputs = replaceBetweenMarkers(readmeText, INPUTS_BEGIN, INPUTS_END, renderInputsBlock(meta, specs, versions, mark), 'README.md');
  return replaceBetweenMarkers(withInputs, OUTPUTS_BEGIN, OUTPUTS_END, renderOutputsBlock(meta), 'README.md');
}

/** `check`: an input without a release fails; otherwise it is written as NO_RELEASE, with a warning. */
export function generatedFiles(check = true): GeneratedFile[] {
  if (!existsSync(README)) throw new Error('README.md not found: it must contain the GENERATED marker comments');
  const content = renderReadme(readFileSync(README, 'utf8'), readFileSync(ACTION_YML, 'utf8'), PERMISSIONS, INPUTS_SINCE, !check);
  return [{ path: README, content }];
}

export function main(argv: readonly string[]): number {
  const unknown = argv.filter((a) => a !== '--check');
  if (unknown.length > 0) {
    console.error(`usage: node scripts/readme-tables.ts [--check] (unknown: ${unknown.join(' ')})`);
    return 2;
  }
  const check = argv.includes('--check');
  return writeOrCheck(generatedFiles(check), check);
}

if (isEntryPoint(import.meta.url)) {
  try {
    process.exitCode = main(process.argv.slice(2));
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  }
}
