/**
 * The main step: inputs → JWT → installation → token → mask, state, outputs. `run()` is what the
 * bundle and GitHub's `@github/local-action` call.
 */
import { signAppJwt } from './app-jwt.js';
import { lookupBot } from './bot.js';
import { checkTokenAnswer, isTimestamp } from './check-answer.js';
import { DeadlineExceeded, describeDuration, MAIN_DEADLINE_MS, startDeadline, type Deadline } from './deadline.js';
import { ActionError } from './errors.js';
import { reportFailure } from './failure.js';
import { configureGit } from './git-config.js';
import { createGitHub, type GitHub } from './github.js';
import { HeldLog } from './held-log.js';
import { inputFrom } from './input-values.js';
import { readSettings, type Settings } from './inputs.js';
import { describeInstallation, findInstallation, type Installation } from './installation.js';
import { parsePrivateKey, secretLines } from './private-key.js';
import type { Runner } from './runner.js';
import { Secrets } from './secrets.js';
import { saveToken } from './state.js';
import { defaultDeps, type StepDeps } from './steps.js';
import { scopeLine, scopeMarkdown } from './summary.js';
import { createToken, verifyToken, type FreshToken, type Token } from './token.js';
import { untrusted } from './untrusted.js';

export async function run(deps: StepDeps = defaultDeps()): Promise<void> {
  const secrets = new Secrets(deps.runner);
  const octokitLog = new HeldLog(deps.runner, secrets);
  const deadline = startDeadline(deps.deadlineMs ?? MAIN_DEADLINE_MS);
  const step: MainStep = { secrets, octokitLog, deadline, saved: false };
  try {
    // Mask the key and a given JWT before anything reads them, so not even a validation message could show them.
    const input = inputFrom(deps.env);
    secrets.mask(...secretLines(input('private-key')), input('app-jwt'));
    await deadline.race(mint(deps, step));
  } catch (error) {
    reportFailure(deps.runner, secrets, error instanceof DeadlineExceeded ? deadlineFailure(error, step.saved) : error);
  } finally {
    deadline.clear();
    octokitLog.flush();
  }
}

/** What the step has, and has done, so far. */
interface MainStep {
  readonly secrets: Secrets;
  readonly octokitLog: HeldLog;
  readonly deadline: Deadline;
  /** the token is saved for post */
  saved: boolean;
}

function deadlineFailure(error: DeadlineExceeded, saved: boolean): ActionError {
  const token = saved
    ? 'The post step revokes the token it minted.'
    : 'No token had been received, so the post step has none to revoke (one minted in the last moment expires within the hour).';
  return new ActionError(
    `The main step stopped at its deadline of ${describeDuration(error.ms)}: it was waiting for ${error.waitingFor}. ${token} GitHub, or the network to it, is too slow right now: re-run the job later; the lines above show each try.`
  );
}

async function mint({ env, runner, retry, clock = Date.now }: StepDeps, step: MainStep): Promise<void> {
  const { secrets, octokitLog, deadline } = step;
  const settings = readSettings(env, clock());
  const github = await createGitHub({
    baseUrl: settings.apiUrl,
    ...(settings.appJwt ? { givenJwt: settings.appJwt } : { signJwt: keySigner(settings, secrets) }),
    retry,
    log: runner,
    octokitLog,
    env,
    clock,
    redact: (text) => secrets.redact(text),
    signal: deadline.signal,
    progress: deadline.progress
  });
  let installation = await findInstallation(github, settings);
  const token = await createToken(github, installation, settings);
  const fresh = { token: token.token, mintedAt: clock() };
  secrets.mask(token.token);
  // Saved before anything else can fail, so post revokes it whatever happens next.
  saveToken(runner, { token: token.token, expiresAt: isTimestamp(token.expiresAt) ? token.expiresAt : '', apiUrl: settings.apiUrl, mintedAt: fresh.mintedAt });
  step.saved = true;
  checkTokenAnswer({ token, installationId: installation.id, redact: (text) => secrets.redact(text) });
  if (settings.verifyToken) await verifyToken(github, fresh, installation);
  setTokenOutputs(runner, installation, token);
  if (settings.botIdentity && !installation.appSlug) {
    installation = await describeInstallation(github, installation.id, settings);
  }
  runner.setOutput('app-slug', installation.appSlug);
  runner.info(scopeLine({ installation, token }));
  if (settings.summary) runner.appendSummary(scopeMarkdown({ installation, token }));
  if (settings.botIdentity) await setBotIdentity(github, { runner, env, settings, installation, token: fresh, deadline });
  if (settings.agent) {
    const { startAgent } = await import('./agent-start.js');
    await startAgent({ env, runner, retry, github, settings, installation, token, mintedAt: fresh.mintedAt });
  }
}

/** Signs with the `private-key` (parsed once, here), masking each JWT before it is used. */
function keySigner(settings: Settings, secrets: Secrets): (now: number) => Promise<string> {
  const key = parsePrivateKey(settings.privateKey);
  return async (now) => {
    const jwt = await signAppJwt(key, settings.issuer, now);
    secrets.mask(jwt);
    return jwt;
  };
}

function setTokenOutputs(runner: Runner, installation: Installation, token: Token): void {
  runner.setOutput('token', token.token);
  runner.setOutput('installation-id', String(installation.id));
  runner.setOutput('expires-at', token.expiresAt);
  runner.setOutput('permissions', JSON.stringify(token.permissions));
  runner.setOutput('repositories', token.repositories.join('\n'));
}

interface BotSetup extends Pick<StepDeps, 'runner' | 'env'> {
  readonly settings: Settings;
  readonly installation: Installation;
  readonly token: FreshToken;
  readonly deadline: Deadline;
}

async function setBotIdentity(github: GitHub, { runner, env, settings, installation, token, deadline }: BotSetup): Promise<void> {
  const bot = await lookupBot(github, { token, appSlug: installation.appSlug, apiUrl: settings.apiUrl });
  runner.setOutput('bot-user-id', String(bot.userId));
  runner.setOutput('bot-name', bot.name);
  runner.setOutput('bot-email', bot.email);
  runner.setOutput('committer', bot.committer);
  if (settings.configureGit) {
    deadline.progress.waitingFor = 'git config';
    await configureGit(bot, env, deadline.signal);
    runner.info(`Configured git (global) to commit as ${untrusted(bot.committer)}.`);
  }
}
