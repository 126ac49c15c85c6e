// Post's side of the agent, against a stand-in agent on a real Unix socket: the summary line of
// what the agent did, the warning when it is gone, and the git line and directory removed.
import { afterEach, describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FILES, type AgentAnswer } from '../../src/agent-protocol.ts';
import { stopAgent } from '../../src/agent-stop.ts';
import { recorder } from '../support/recorder.ts';

const onLinux = process.platform === 'linux' ? it : it.skip;
let server: Server | undefined;
afterEach(() => {
  server?.close();
});

/** An agent directory; `answer` makes a stand-in agent listen on its socket, with its secret (an agent that ended drops it first). */
async function agentDir(answer?: AgentAnswer): Promise<{ dir: string; asked: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'agent-'));
  if (answer) writeFileSync(join(dir, FILES.secret), 'the-secret');
  const asked: string[] = [];
  if (answer) {
    server = createServer((socket) =>
      socket.on('data', (chunk) => {
        asked.push(String(chunk));
        socket.end(`{"accepted":true}\n${JSON.stringify(answer)}\n`);
      })
    );
    await new Promise<void>((resolve) => server?.listen(join(dir, FILES.socket), resolve));
  }
  return { dir, asked };
}

/** A pid that no longer runs. */
const endedPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid ?? 0;

function gitRecorder() {
  const calls: string[][] = [];
  return { calls, git: async (args: string[]) => (calls.push(args), '') };
}

const report = { minted: [{ repository: 'octo-org/api', count: 2 }], refused: [{ reason: 'octo-user/x outside the scope', count: 1 }], revoked: 2, expired: 1, failed: ['octo-org/api: DELETE /installation/token failed: 500'] };

describe('stopAgent', () => {
  onLinux('asks the agent to stop and revoke, says in one line what it did, and warns of each token it could not revoke', async () => {
    const { dir, asked } = await agentDir({ ok: true, report });
    const r = recorder();
    const { calls, git } = gitRecorder();
    await stopAgent({ runner: r, env: {}, agent: { dir, pid: endedPid(), include: join(dir, FILES.include), createdConfig: '' }, revoke: true, git });
    expect(JSON.parse(asked[0] ?? '{}')).toEqual({ op: 'stop', revoke: true, secret: 'the-secret' });
    expect(r.calls).toEqual([
      ['info', 'Token agent stopped: minted 2 tokens (octo-org/api ×2); refused 1 request (octo-user/x outside the scope ×1); revoked 2, 1 already expired.'],
      ['warning', 'The token agent could not revoke a token for octo-org/api: DELETE /installation/token failed: 500']
    ]);
    expect(calls[0]).toEqual(['config', '--global', '--fixed-value', '--unset-all', 'include.path', join(dir, FILES.include)]);
    expect(existsSync(dir)).toBe(false);
  });

  onLinux("with skip-token-revoke, the agent stops and revokes nothing", async () => {
    const { dir, asked } = await agentDir({ ok: true, report: { ...report, revoked: 0, expired: 0, failed: [] } });
    const r = recorder();
    await stopAgent({ runner: r, env: {}, agent: { dir, pid: endedPid(), include: '', createdConfig: '' }, revoke: false });
    expect(JSON.parse(asked[0] ?? '{}')).toMatchObject({ op: 'stop', revoke: false });
    expect(r.calls).toEqual([['info', "Token agent stopped: minted 2 tokens (octo-org/api ×2); refused 1 request (octo-user/x outside the scope ×1); revoked none: 'skip-token-revoke' is true."]]);
  });

  it('an agent that is gone: a warning naming what it minted that is still valid, and the set-up removed all the same', async () => {
    const { dir } = await agentDir();
    const later = new Date(Date.now() + 3_600_000).toISOString();
    writeFileSync(join(dir, FILES.minted), `octo-org/api\t${later}\nocto-user/dotfiles\t2020-01-01T00:00:00Z\nocto-org/api\t${later}\n`);
    const r = recorder();
    const { calls, git } = gitRecorder();
    await stopAgent({ runner: r, env: {}, agent: { dir, pid: endedPid(), include: join(dir, FILES.include), createdConfig: '' }, revoke: true, git });
    expect(r.calls).toEqual([['warning', expect.stringMatching(new RegExp(`^The token agent was not running at the end of the job \\(.*\\): 2 tokens it minted \\(for octo-org/api\\) could not be revoked; they stay valid until ${later.replace(/\./g, '\\.')} at the latest\\.$`))]]);
    expect(calls.length).toBeGreaterThan(0);
    expect(existsSync(dir)).toBe(false);
  });

  it('a directory already gone: the warning says so, and that nothing it minted is known to be valid', async () => {
    const dir = join(tmpdir(), 'agent-gone-never-made');
    rmSync(dir, { recursive: true, force: true });
    const r = recorder();
    await stopAgent({ runner: r, env: {}, agent: { dir, pid: endedPid(), include: '', createdConfig: '' }, revoke: true });
    expect(r.calls).toEqual([['warning', 'The token agent was not running at the end of the job (its directory is gone): no token it minted is still valid.']]);
  });

  it('a git config line that cannot be removed is a warning, not a failure', async () => {
    const { dir } = await agentDir();
    const r = recorder();
    const git = async () => {
      throw new Error('could not lock config file');
    };
    await stopAgent({ runner: r, env: {}, agent: { dir, pid: endedPid(), include: '/x/gitconfig', createdConfig: '' }, revoke: true, git });
    expect(r.calls.at(-1)).toEqual(['warning', "Could not remove the agent's line from the global git config (include.path = /x/gitconfig): could not lock config file. It names a file that no longer exists, which git ignores."]);
  });
});
