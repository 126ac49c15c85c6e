// For in-process tests of the steps: one fake GitHub per file, reset after each test, and the env the runner would pass.
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { DEFAULT_RETRY } from '../../src/retry.ts';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { generateAppKey } from './runner.ts';

export interface InProcess {
  readonly gh: FakeGitHub;
  readonly key: string;
  /** INPUT_* for client-id, private-key and `inputs`, plus the workflow's GITHUB_* variables */
  env(inputs?: Record<string, string>, extra?: Record<string, string>): Record<string, string>;
}

/** No backoff: the retry paths run at full speed. */
export const NO_DELAY_RETRY = {
  ...DEFAULT_RETRY,
  baseDelayMs: 0,
  maxDelayMs: 0,
  freshToken: { ...DEFAULT_RETRY.freshToken, delaysMs: DEFAULT_RETRY.freshToken.delaysMs.map(() => 0) },
  verifyToken: { ...DEFAULT_RETRY.verifyToken, delaysMs: DEFAULT_RETRY.verifyToken.delaysMs.map(() => 0) }
};

export function useInProcessGitHub(): InProcess {
  const key = generateAppKey('pkcs1').privateKeyPem;
  let gh: FakeGitHub | undefined;
  beforeAll(async () => {
    gh = await startFakeGitHub({ app: { privateKey: key }, requireApiVersion: true });
  });
  // every test starts from the same fake: no request, fault or clock offset left by another
  afterEach(() => {
    gh?.reset();
    gh?.setClockOffset(0);
  });
  afterAll(() => gh?.close());
  const fake = (): FakeGitHub => {
    if (!gh) throw new Error('the fake GitHub starts in beforeAll');
    return gh;
  };
  return {
    get gh() {
      return fake();
    },
    key,
    env(inputs = {}, extra = {}) {
      const all: Record<string, string> = { 'client-id': fake().app.clientId, 'private-key': key, ...inputs };
      const out: Record<string, string> = { GITHUB_REPOSITORY: 'octo-org/app-token', GITHUB_REPOSITORY_OWNER: 'octo-org', GITHUB_API_URL: fake().url, ...extra };
      for (const [name, value] of Object.entries(all)) out[`INPUT_${name.toUpperCase()}`] = value;
      return out;
    }
  };
}
