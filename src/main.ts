/**
 * The main step: inputs → JWT → installation → token → mask, state, outputs. `run()` is what the
 * bundle and GitHub's `@github/local-action` call.
 */
import { signAppJwt } from './app-jwt.js';
import { lookupBot } from './bot.js';
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
  try {
    // Mask the key and a given JWT before anything reads them, so not even a validation message could show them.
    const input = inputFrom(deps.env);
    secrets.mask(...secretLines(input('private-key')), input('app-jwt'));
    await mint(deps, secrets, octokitLog);
  } catch (error) {
    reportFailure(deps.runner, secrets, error);
  } finally {
    octokitLog.flush();
  }
}

async function mint({ env, runner, retry, clock = Date.now }: StepDeps, secrets: Secrets, octokitLog: HeldLog): Promise<void> {
  const settings = readSettings(env, clock());
  const github = await createGitHub({
    baseUrl: settings.apiUrl,
    ...(settings.appJwt ? { givenJwt: settings.appJwt } : { signJwt: keySigner(settings, secrets) }),
    retry,
    log: runner,
    octokitLog,
    env,
    clock
  });
  let installation = await findInstallation(github, settings);
  const token = await createToken(github, installation, settings);
  const fresh = { token: token.token, mintedAt: clock() };
  secrets.mask(token.token);
  // Saved before anything else can fail, so post revokes it whatever happens next.
  saveToken(runner, { token: token.token, expiresAt: token.expiresAt, apiUrl: settings.apiUrl, mintedAt: fresh.mintedAt });
  if (settings.verifyToken) await verifyToken(github, fresh, installation);
  setTokenOutputs(runner, installation, token);
  if (settings.botIdentity && !installation.appSlug) {
    installation = await describeInstallation(github, installation.id, settings);
  }
  runner.setOutput('app-slug', installation.appSlug);
  runner.info(scopeLine({ installation, token }));
  if (settings.summary) runner.appendSummary(scopeMarkdown({ installation, token }));
  if (settings.botIdentity) await setBotIdentity(github, { runner, env, settings, installation, token: fresh });
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
}

async function setBotIdentity(github: GitHub, { runner, env, settings, installation, token }: BotSetup): Promise<void> {
  const bot = await lookupBot(github, { token, appSlug: installation.appSlug, apiUrl: settings.apiUrl });
  runner.setOutput('bot-user-id', String(bot.userId));
  runner.setOutput('bot-name', bot.name);
  runner.setOutput('bot-email', bot.email);
  runner.setOutput('committer', bot.committer);
  if (settings.configureGit) {
    await configureGit(bot, env);
    runner.info(`Configured git (global) to commit as ${untrusted(bot.committer)}.`);
  }
}
