// For in-process tests of the steps and the modules: one fake GitHub per file, reset after each
// test, the env the runner would pass, and the client a step would build from it.
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { signAppJwt } from '../../src/app-jwt.ts';
import { createGitHub, type GitHub } from '../../src/github.ts';
import { readSettings, type Settings } from '../../src/inputs.ts';
import { parsePrivateKey } from '../../src/private-key.ts';
import { DEFAULT_RETRY } from '../../src/retry.ts';
import { recorder, type Recorder } from './recorder.ts';
import { startFakeGitHub, type FakeGitHub } from '../../fake-github/server.ts';
import { generateAppKey } from './runner.ts';

export interface InProcess {
  readonly gh: FakeGitHub;
  readonly key: string;
  /** INPUT_* for client-id, private-key and `inputs`, plus the workflow's GITHUB_* variables */
  env(inputs?: Record<string, string>, extra?: Record<string, string>): Record<string, string>;
  /** The settings and the client main would build for these inputs, logging to `log`. */
  client(inputs?: Record<string, string>, env?: Record<string, string>, baseUrl?: string): Promise<{ settings: Settings; github: GitHub; log: Recorder }>;
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
    },
    /** `baseUrl` overrides the API URL the settings resolve (a name only the test proxy knows, say) */
    async client(inputs = {}, env = {}, baseUrl?: string) {
      const settings = readSettings(this.env(inputs));
      const log = recorder();
      const signJwt = (now: number) => signAppJwt(parsePrivateKey(key), settings.issuer, now);
      const credentials = settings.appJwt ? { givenJwt: settings.appJwt } : { signJwt };
      const github = await createGitHub({ baseUrl: baseUrl ?? settings.apiUrl, ...credentials, retry: NO_DELAY_RETRY, log, octokitLog: { ...log, warn: log.warning, error: log.warning }, env });
      return { settings, github, log };
    }
  };
}
