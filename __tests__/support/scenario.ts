// One fake GitHub per test file, and a `run` that drives the built action against it.
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { startFakeGitHub, type FakeGitHub, type FakeGitHubOptions } from '../../fake-github/server.ts';
import { cleanupRunDirs, generateAppKey, runAction, runStep, type StepOptions, type StepResult } from './runner.ts';

export interface Scenario {
  gh: FakeGitHub;
  key: string;
  /** inputs every run needs: client-id and private-key of the fake app */
  base(): Record<string, string>;
  /** main then post, like the runner */
  run(inputs?: Record<string, string>, env?: Record<string, string | undefined>): Promise<{ main: StepResult; post: StepResult }>;
  main(inputs?: Record<string, string>, env?: Record<string, string | undefined>): Promise<StepResult>;
  post(opts: StepOptions): Promise<StepResult>;
}

export function useFakeGitHub(options: Partial<FakeGitHubOptions> = {}): Scenario {
  const key = generateAppKey('pkcs1').privateKeyPem;
  const scenario = { key } as Scenario;
  beforeAll(async () => {
    scenario.gh = await startFakeGitHub({ requireApiVersion: true, ...options, app: { privateKey: key, ...options.app } });
  });
  afterEach(() => scenario.gh.reset());
  afterAll(async () => {
    await scenario.gh.close();
    cleanupRunDirs();
  });
  const env = (extra: Record<string, string | undefined> = {}) => ({ GITHUB_API_URL: scenario.gh.url, APP_TOKEN_RETRY_BASE_MS: '0', ...extra });
  scenario.base = () => ({ 'client-id': scenario.gh.app.clientId, 'private-key': key });
  scenario.run = (inputs = {}, extra = {}) => runAction({ inputs: { ...scenario.base(), ...inputs }, env: env(extra) });
  scenario.main = (inputs = {}, extra = {}) => runStep('main', { inputs: { ...scenario.base(), ...inputs }, env: env(extra) });
  scenario.post = (opts) => runStep('post', { ...opts, env: env(opts.env) });
  return scenario;
}

/** The `::error` annotations of a step. */
export function errors(step: StepResult): string[] {
  return step.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

export function warnings(step: StepResult): string[] {
  return step.commands.filter((c) => c.command === 'warning').map((c) => c.message);
}

/** The requests GitHub received, as "METHOD /path". */
export function routes(gh: FakeGitHub): string[] {
  return gh.requests.map((r) => `${r.method} ${r.path}`);
}
