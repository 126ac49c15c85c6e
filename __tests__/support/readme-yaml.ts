// The YAML examples of a Markdown file, each made into a complete workflow for actionlint:
// a full workflow stays as it is, a job or a step list is wrapped in a minimal workflow, and a
// fragment of a step (`with:`, `env:`) becomes a step of this action.
import YAML from 'yaml';

export type ExampleShape = 'workflow' | 'job' | 'steps' | 'step';

export interface YamlExample {
  /** 1-based line of the example's first line in the Markdown file. */
  line: number;
  /** The block as written. */
  source: string;
  shape: ExampleShape;
  /** The complete workflow that is linted. */
  workflow: string;
  /** Lines the wrapper adds before the example's first line, to map errors back. */
  offset: number;
  /** The block parsed as YAML (undefined when it does not parse). */
  parsed: unknown;
}

const FENCE = /^(\s*)(`{3,}|~{3,})\s*(ya?ml)\s*$/i;
const ACTION = 'app-token/app-token@v1';

function dedent(text: string): string {
  const lines = text.split('\n');
  const widths = lines.filter((l) => l.trim() !== '').map((l) => /^ */.exec(l)![0].length);
  const cut = widths.length > 0 ? Math.min(...widths) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}

const indent = (text: string, by: number): string =>
  text
    .split('\n')
    .map((l) => (l.trim() === '' ? l : ' '.repeat(by) + l))
    .join('\n');

function shapeOf(parsed: unknown): ExampleShape {
  if (Array.isArray(parsed)) return 'steps';
  const keys = parsed !== null && typeof parsed === 'object' ? Object.keys(parsed) : [];
  if (keys.includes('jobs')) return 'workflow';
  if (keys.includes('runs-on') || keys.includes('steps') || (keys.includes('uses') && keys.includes('secrets'))) return 'job';
  return 'step';
}

function wrap(body: string, shape: ExampleShape): { workflow: string; offset: number } {
  const head = 'on: workflow_dispatch\njobs:\n  example:\n';
  if (shape === 'workflow') return { workflow: body, offset: 0 };
  if (shape === 'job') return { workflow: head + indent(body, 4), offset: 3 };
  const job = head + '    runs-on: ubuntu-latest\n    steps:\n';
  if (shape === 'steps') return { workflow: job + indent(body, 6), offset: 5 };
  // a fragment of a step (`with:` alone is taken as this action's inputs)
  if (/^uses:/m.test(body)) return { workflow: job + indent(body, 8).replace(/^ {8}/, '      - '), offset: 5 };
  return { workflow: `${job}      - uses: ${ACTION}\n${indent(body, 8)}`, offset: 6 };
}

/** Every ```yaml / ```yml block of `markdown`, in order. */
export function yamlExamples(markdown: string): YamlExample[] {
  const lines = markdown.split(/\r?\n/);
  const examples: YamlExample[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]);
    if (!open) continue;
    const fence = open[2];
    let end = i + 1;
    while (end < lines.length && !lines[end].trim().startsWith(fence)) end++;
    const source = lines.slice(i + 1, end).join('\n');
    const body = dedent(source);
    let parsed: unknown;
    try {
      parsed = YAML.parse(body);
    } catch {
      parsed = undefined; // actionlint reports the syntax error
    }
    const shape = shapeOf(parsed);
    examples.push({ line: i + 2, source, shape, parsed, ...wrap(body, shape) });
    i = end;
  }
  return examples;
}
