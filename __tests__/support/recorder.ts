// A Runner that records every call in order, for in-process tests of the steps.
import type { Runner } from '../../src/runner.ts';

export type Call = [method: string, ...args: string[]];

export interface Recorder extends Runner {
  calls: Call[];
  outputs: Record<string, string>;
  state: Record<string, string>;
  summary: string;
  failures: string[];
  /** index of the first call of `method` (with `arg` when given) */
  indexOf(method: string, arg?: string): number;
}

export function recorder(initialState: Record<string, string> = {}, debug = false): Recorder {
  const r: Recorder = {
    calls: [],
    outputs: {},
    state: { ...initialState },
    summary: '',
    failures: [],
    setSecret: (v) => void r.calls.push(['setSecret', v]),
    setOutput: (k, v) => {
      r.calls.push(['setOutput', k, v]);
      r.outputs[k] = v;
    },
    saveState: (k, v) => {
      r.calls.push(['saveState', k, v]);
      r.state[k] = v;
    },
    getState: (k) => r.state[k] ?? '',
    setFailed: (m) => {
      r.calls.push(['setFailed', m]);
      r.failures.push(m);
    },
    appendSummary: (m) => {
      r.calls.push(['appendSummary', m]);
      r.summary += m;
    },
    debug: (m) => void r.calls.push(['debug', m]),
    info: (m) => void r.calls.push(['info', m]),
    warning: (m) => void r.calls.push(['warning', m]),
    isDebug: () => debug,
    indexOf: (method, arg) => r.calls.findIndex((c) => c[0] === method && (arg === undefined || c.slice(1).includes(arg)))
  };
  return r;
}
