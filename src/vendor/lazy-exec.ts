// Bundled in place of @actions/exec (tsconfig "paths"). @actions/core imports it at load time only
// for core.platform, which this action does not use; evaluating it would load child_process,
// assert and fs.promises on every run. The real module is loaded on the first call instead.
type Exec = typeof import('../../node_modules/@actions/exec/lib/exec.js');

const load = (): Promise<Exec> => import('../../node_modules/@actions/exec/lib/exec.js');

export const exec: Exec['exec'] = async (...args) => (await load()).exec(...args);
export const getExecOutput: Exec['getExecOutput'] = async (...args) => (await load()).getExecOutput(...args);
