/**
 * Main's side of `agent: true`, loaded only then: starts the agent with the private key over a
 * pipe, points git at it for the agent's URL prefixes, puts `app-token` on PATH, and makes later
 * steps ignore a persisted extraheader for those prefixes. Main does not wait for the agent to
 * listen (its clients retry while it starts), so the step ends as promptly as without it.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as core from '@actions/core';
import { addInclude, agentPrefixes, credentialConfig, extraheaderOverrides, gitRunner, gitServer, globalConfigPath, helperCommand, shellQuote, type GitRunner } from './agent-git.js';
import { endpoint, FILES } from './agent-protocol.js';
import type { AgentStart } from './agent-server.js';
import { ActionError } from './errors.js';
import type { GitHub } from './github.js';
import type { Settings } from './inputs.js';
import { describeInstallation, type Installation } from './installation.js';
import type { RetryPolicy } from './retry.js';
import type { Runner } from './runner.js';
import { saveAgent } from './state.js';
import type { Token } from './token.js';
import { untrusted } from './untrusted.js';

import type { Env } from './env.js';

export interface AgentStartOptions {
  readonly env: Env;
  readonly runner: Runner;
  readonly retry: RetryPolicy;
  readonly github: GitHub;
  readonly settings: Settings;
  readonly installation: Installation;
  readonly token: Token;
  readonly mintedAt: number;
  /** dist/agent/index.js; found beside the running step by default */
  readonly agentScript?: string;
  readonly nodePath?: string;
  /** GITHUB_ENV and GITHUB_PATH */
  readonly exportVariable?: (name: string, value: string) => void;
  readonly addPath?: (dir: string) => void;
  readonly git?: GitRunner;
}

/** What the agent inherits: enough to run node, reach GitHub (proxy, CA) and be ended with the job (RUNNER_TRACKING_ID); never the inputs. */
const AGENT_ENV = /^(PATH|HOME|RUNNER_TRACKING_ID|NODE_EXTRA_CA_CERTS|HTTPS?_PROXY|NO_PROXY|SYSTEMROOT|WINDIR|TEMP|TMP|USERPROFILE|APPDATA|LOCALAPPDATA|COMSPEC|PATHEXT)$/i;

export function agentEnv(env: Env): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) if (value !== undefined && AGENT_ENV.test(name)) out[name] = value;
  return out;
}

export async function startAgent(options: AgentStartOptions): Promise<void> {
  const { env, runner, settings, token } = options;
  const agent = settings.agent;
  if (!agent) return;
  const nodePath = options.nodePath ?? process.execPath;
  const agentScript = options.agentScript ?? join(dirname(process.argv[1] ?? '.'), '..', 'agent', 'index.js');
  if (!existsSync(agentScript)) throw new ActionError(`'agent': the agent's code is missing (${agentScript}). Use a released version of the action, or run npm run build.`);
  let installation = options.installation;
  if (!installation.account) installation = await describeInstallation(options.github, installation.id, settings);

  const dir = agentDir(env);
  const secret = randomBytes(32).toString('hex');
  writeFileSync(join(dir, FILES.secret), secret, { mode: 0o600 });
  const start: AgentStart = {
    dir,
    secret,
    settings,
    installation,
    token: { token: token.token, expiresAt: token.expiresAt, mintedAt: options.mintedAt, repositories: token.repositories },
    lifetimeMs: agent.lifetimeMs,
    retry: options.retry
  };
  const pid = await spawnAgent({ nodePath, agentScript, dir, env }, JSON.stringify(start));
  saveAgent(runner, { dir, pid });

  const server = gitServer(settings.apiUrl, env);
  const prefixes = agentPrefixes({ server, account: installation.account, repositories: token.repositories, owners: agent.owners, enterprise: Boolean(installation.enterprise) });
  const exportVariable = options.exportVariable ?? core.exportVariable;
  let include = '';
  let createdConfig = '';
  if (prefixes.length) {
    include = join(dir, FILES.include);
    writeFileSync(include, credentialConfig(prefixes, helperCommand(nodePath, agentScript, dir)), { mode: 0o600 });
    const configPath = globalConfigPath(env, process.platform);
    if (!existsSync(configPath)) createdConfig = configPath;
    await addInclude(options.git ?? (await gitRunner(env)), include);
    saveAgent(runner, { dir, pid, include, createdConfig });
    for (const [name, value] of extraheaderOverrides(prefixes, env)) exportVariable(name, value);
  }
  const bin = writeCommand(dir, nodePath, agentScript);
  (options.addPath ?? core.addPath)(bin);

  const served = prefixes.length ? `git gets fresh tokens for ${prefixes.map((p) => untrusted(p, 200)).join(', ')}` : 'git gets none (an enterprise token reaches no repository)';
  runner.info(`Started the token agent (pid ${pid}, for up to ${Math.round(agent.lifetimeMs / 60_000)} min): ${served}; later steps can run app-token.`);
  if (prefixes.length) runner.info(`Later steps' git ignores http.extraheader (such as actions/checkout's persisted token) for those URLs, through GIT_CONFIG_* in GITHUB_ENV.`);
}

/** A fresh 0700 directory under RUNNER_TEMP, with a random name (also the Windows pipe's). */
function agentDir(env: Env): string {
  const dir = join(env['RUNNER_TEMP'] || tmpdir(), `app-token-agent-${randomBytes(8).toString('hex')}`);
  mkdirSync(dir, { mode: 0o700, recursive: true });
  chmodSync(dir, 0o700);
  const socket = endpoint(dir);
  if (process.platform !== 'win32' && Buffer.byteLength(socket) > 103) {
    throw new ActionError(`'agent': the path of its socket (${untrusted(socket, 300)}) is longer than Unix allows (103 bytes). Point RUNNER_TEMP at a shorter directory.`);
  }
  return dir;
}

/** Detached, stdio closed but for the pipe that carries the configuration (closed once written), unref'd. */
function spawnAgent({ nodePath, agentScript, dir, env }: { nodePath: string; agentScript: string; dir: string; env: Env }, config: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(nodePath, [agentScript, 'serve', dir], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: agentEnv(env), windowsHide: true });
    child.once('error', (error) => reject(new ActionError(`'agent': could not start the agent (${untrusted(error.message, 300)}). The token outputs are set.`)));
    child.once('spawn', () => {
      child.stdin?.end(config, () => {
        child.stdin?.destroy();
        child.unref();
        resolve(child.pid ?? 0);
      });
    });
  });
}

/** `app-token` on PATH: a sh script, and app-token.cmd beside it on Windows. */
function writeCommand(dir: string, nodePath: string, agentScript: string): string {
  const bin = join(dir, FILES.bin);
  mkdirSync(bin, { mode: 0o700 });
  writeFileSync(join(bin, 'app-token'), `#!/bin/sh\nexec ${shellQuote(nodePath)} ${shellQuote(agentScript)} token ${shellQuote(dir)} "$@"\n`, { mode: 0o700 });
  if (process.platform === 'win32') writeFileSync(join(bin, 'app-token.cmd'), `@"${nodePath}" "${agentScript}" token "${dir}" %*\r\n`);
  return bin;
}
