/**
 * Post's side of `agent: true`, loaded only when main started an agent: stop it (it revokes the
 * tokens it minted unless `skip-token-revoke`), say in one line what it did, end its process,
 * remove the one git config line main added, and its directory.
 */
import { existsSync, readFileSync, rmSync, statSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ask } from './agent-client.js';
import { gitRunner, removeInclude, type GitRunner } from './agent-git.js';
import { FILES, type AgentReport } from './agent-protocol.js';
import { listNames } from './errors.js';
import type { Runner } from './runner.js';
import type { SavedAgent } from './state.js';
import { untrusted } from './untrusted.js';

import type { Env } from './env.js';

export interface AgentStopOptions {
  readonly runner: Runner;
  readonly env: Env;
  readonly agent: SavedAgent;
  /** false with `skip-token-revoke`: the agent's tokens stay valid, as main's does */
  readonly revoke: boolean;
  readonly git?: GitRunner;
}

export async function stopAgent({ runner, env, agent, revoke, git }: AgentStopOptions): Promise<void> {
  const reply = existsSync(agent.dir) ? await ask(agent.dir, { op: 'stop', revoke }) : { ok: false as const, message: 'its directory is gone' };
  if (reply.ok && 'report' in reply) reportAgent(runner, reply.report, revoke);
  else runner.warning(`The token agent was not running at the end of the job (${untrusted(reply.ok ? 'no report' : reply.message, 300)}): ${unrevoked(agent.dir)}`);
  await endProcess(agent);
  if (agent.include) {
    try {
      const run = git ?? (await gitRunner(env));
      await removeInclude(run, agent.include);
      if (agent.createdConfig && existsSync(agent.createdConfig) && statSync(agent.createdConfig).size === 0) unlinkSync(agent.createdConfig);
    } catch (error) {
      runner.warning(`Could not remove the agent's line from the global git config (include.path = ${agent.include}): ${untrusted((error as Error).message, 300)}. It names a file that no longer exists, which git ignores.`);
    }
  }
  rmSync(agent.dir, { recursive: true, force: true });
}

function reportAgent(runner: Runner, report: AgentReport, revoke: boolean): void {
  const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;
  const minted = report.minted.reduce((sum, m) => sum + m.count, 0);
  const refused = report.refused.reduce((sum, r) => sum + r.count, 0);
  const parts = [
    `minted ${count(minted, 'token')}${minted ? ` (${listNames(report.minted.map((m) => `${untrusted(m.repository, 200)} ×${m.count}`))})` : ''}`,
    `refused ${count(refused, 'request')}${refused ? ` (${listNames(report.refused.map((r) => `${untrusted(r.reason, 200)} ×${r.count}`))})` : ''}`,
    revoke ? `revoked ${report.revoked}${report.expired ? `, ${report.expired} already expired` : ''}` : `revoked none: 'skip-token-revoke' is true`
  ];
  runner.info(`Token agent stopped: ${parts.join('; ')}.`);
  for (const failure of report.failed) runner.warning(`The token agent could not revoke a token for ${untrusted(failure, 500)}`);
}

/** What the agent's record (repositories and expiry times, never tokens) says is left valid. */
function unrevoked(dir: string): string {
  let lines: string[] = [];
  try {
    lines = readFileSync(join(dir, FILES.minted), 'utf8').split('\n').filter(Boolean).slice(-1000);
  } catch {
    // no record: it minted nothing
  }
  const now = Date.now();
  const live = lines.map((line) => line.split('\t')).filter(([, expiresAt]) => Date.parse(expiresAt ?? '') > now);
  if (!live.length) return 'no token it minted is still valid.';
  const last = live.map(([, expiresAt]) => expiresAt ?? '').sort().at(-1);
  const repositories = [...new Set(live.map(([label]) => untrusted(label, 200)))];
  return `${live.length} token${live.length === 1 ? '' : 's'} it minted (for ${listNames(repositories)}) could not be revoked; they stay valid until ${untrusted(last, 40)} at the latest.`;
}

/** Waits a moment for the agent to exit, then ends it, when the pid is still the agent's. */
async function endProcess(agent: SavedAgent): Promise<void> {
  for (let i = 0; i < 40 && alive(agent.pid); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  if (alive(agent.pid) && isAgent(agent)) {
    try {
      process.kill(agent.pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
}

/** Whether the pid runs (a zombie, ended but not yet reaped by its new parent, does not). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
}

/** Where /proc tells, whether the pid still runs the agent for this directory (not a reused pid). */
function isAgent(agent: SavedAgent): boolean {
  try {
    return readFileSync(`/proc/${agent.pid}/cmdline`, 'utf8').includes(agent.dir);
  } catch {
    return process.platform !== 'linux';
  }
}
