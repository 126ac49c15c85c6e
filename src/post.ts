/**
 * The post step: revoke the token main saved, unless told not to or it has already expired.
 * `run()` is what the bundle and GitHub's `@github/local-action` call.
 */
import { isTimestamp } from './check-answer.js';
import { DeadlineExceeded, describeDuration, POST_DEADLINE_MS, startDeadline } from './deadline.js';
import { ApiError } from './errors.js';
import { createGitHub } from './github.js';
import { HeldLog } from './held-log.js';
import { inputFrom, readApiUrl, readBoolean } from './input-values.js';
import { Secrets } from './secrets.js';
import { loadAgent, loadToken, type SavedToken } from './state.js';
import { defaultDeps, type StepDeps } from './steps.js';
import { revokeToken } from './revoke.js';
import { untrusted } from './untrusted.js';

export async function run(deps: StepDeps = defaultDeps()): Promise<void> {
  const { runner, env } = deps;
  const secrets = new Secrets(runner);
  const skip = skipRevoke(env);
  const agent = loadAgent(runner);
  if (agent) {
    const { stopAgent } = await import('./agent-stop.js');
    await stopAgent({ runner, env, agent, revoke: !skip });
  }
  const saved = loadToken(runner);
  if (!saved) {
    runner.info('No token to revoke: the main step did not create one.');
    return;
  }
  secrets.mask(saved.token);
  // the state file is the job's to write: an expiry of another form is not printed
  const expiresAt = isTimestamp(saved.expiresAt) ? saved.expiresAt : 'an unknown time (at most an hour after it was minted)';
  if (skip) {
    runner.info(`Token not revoked: 'skip-token-revoke' is true. It expires at ${expiresAt}.`);
    return;
  }
  const now = (deps.clock ?? Date.now)();
  if (Date.parse(saved.expiresAt) <= now) {
    runner.info(`Token not revoked: it already expired at ${expiresAt}.`);
    return;
  }
  if (!sameApiUrl({ runner, env, saved, expiresAt })) return;
  const octokitLog = new HeldLog(runner, secrets);
  const deadline = startDeadline(deps.deadlineMs ?? POST_DEADLINE_MS);
  try {
    const github = await createGitHub({
      baseUrl: saved.apiUrl,
      retry: deps.retry,
      log: runner,
      octokitLog,
      env,
      clock: deps.clock,
      redact: (text) => secrets.redact(text),
      signal: deadline.signal,
      progress: deadline.progress
    });
    const status = await deadline.race(revokeToken(github, saved.token, saved.mintedAt));
    if (status === 204) runner.info('Token revoked.');
    else runner.warning(`Could not confirm that the installation token was revoked: DELETE /installation/token answered ${status}, not 204. It may stay valid until ${expiresAt}.`);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      runner.info('Token already revoked (GitHub answered 401 to DELETE /installation/token), for example by an earlier step.');
      return;
    }
    if (error instanceof DeadlineExceeded) {
      runner.warning(`Could not revoke the installation token within the post step's deadline of ${describeDuration(error.ms)}: it was waiting for ${secrets.redact(error.waitingFor)}. It stays valid until ${expiresAt}.`);
      return;
    }
    runner.warning(`Could not revoke the installation token: ${secrets.messageOf(error)} It stays valid until ${expiresAt}.`);
  } finally {
    deadline.clear();
    octokitLog.flush();
  }
}

function skipRevoke(env: StepDeps['env']): boolean {
  try {
    return readBoolean('skip-token-revoke', inputFrom(env)('skip-token-revoke'), false);
  } catch {
    return false; // main already reported the bad value; revoking is the safe choice
  }
}

/**
 * Post sends the token only to the API URL its own inputs give, the one main resolved and saved:
 * anything in the job can write the state file, and a rewritten URL would take the token elsewhere.
 */
interface SavedUrlCheck extends Pick<StepDeps, 'runner' | 'env'> {
  readonly saved: SavedToken;
  /** escaped, for the messages */
  readonly expiresAt: string;
}

function sameApiUrl({ runner, env, saved, expiresAt }: SavedUrlCheck): boolean {
  let expected: string;
  try {
    expected = readApiUrl(inputFrom(env)('github-api-url'), env);
  } catch (error) {
    runner.warning(`Token not revoked: ${(error as Error).message} It stays valid until ${expiresAt}.`);
    return false;
  }
  if (saved.apiUrl === expected) return true;
  runner.warning(
    `Token not revoked: the API URL saved by the main step ('${untrusted(saved.apiUrl)}') is not the one this step's inputs give ('${untrusted(expected)}'), so the token was not sent anywhere. Something in the job rewrote the step's saved state. The token stays valid until ${expiresAt}.`
  );
  return false;
}
