/** The post step: revoke the token main saved, unless told not to or it has already expired. */
import { ApiError } from './errors.js';
import { createGitHub } from './github.js';
import { inputFrom, readBoolean } from './input-values.js';
import { Secrets } from './runner.js';
import { loadToken } from './state.js';
import { defaultDeps, type StepDeps } from './steps.js';
import { revokeToken } from './token.js';

export async function runPost(deps: StepDeps = defaultDeps()): Promise<void> {
  const { runner, env } = deps;
  const secrets = new Secrets(runner);
  const saved = loadToken(runner);
  if (!saved) {
    runner.info('No token to revoke: the main step did not create one.');
    return;
  }
  secrets.mask(saved.token);
  let skip = false;
  try {
    skip = readBoolean('skip-token-revoke', inputFrom(env)('skip-token-revoke'), false);
  } catch {
    // main already reported the bad value; revoking is the safe choice
  }
  if (skip) {
    runner.info(`Token not revoked: 'skip-token-revoke' is true. It expires at ${saved.expiresAt}.`);
    return;
  }
  const now = (deps.clock ?? Date.now)();
  if (Date.parse(saved.expiresAt) <= now) {
    runner.info(`Token not revoked: it already expired at ${saved.expiresAt}.`);
    return;
  }
  try {
    const github = await createGitHub({ baseUrl: saved.apiUrl, retry: deps.retry, log: runner, env, clock: deps.clock });
    await revokeToken(github, saved.token);
    runner.info('Token revoked.');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      runner.info('Token already revoked (GitHub answered 401 to DELETE /installation/token), for example by an earlier step.');
      return;
    }
    runner.warning(`Could not revoke the installation token: ${secrets.messageOf(error)} It stays valid until ${saved.expiresAt}.`);
  }
}
