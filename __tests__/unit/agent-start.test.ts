// Main's side of the agent in this process, with a stand-in agent script that only reads its pipe.
import { describe, expect, it, jest } from '@jest/globals';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { agentEnv, startAgent } from '../../src/agent-start.js';
import { runAgent } from '../../src/agent-command.js';
import type { GitHub } from '../../src/github.js';
import { readSettings } from '../../src/inputs.js';
import { DEFAULT_RETRY } from '../../src/retry.js';
import { recorder } from '../support/recorder.ts';
import { generateAppKey } from '../support/runner.ts';

const key = generateAppKey('pkcs1').privateKeyPem;

function setup(inputs: Record<string, string>) {
  const temp = mkdtempSync(join(tmpdir(), 'agent-start-'));
  const received = join(temp, 'received');
  const script = join(temp, 'agent.cjs');
  // the stand-in agent: what it read from its pipe, its argv and env, to a file
  writeFileSync(script, `let d='';process.stdin.on('data',c=>d+=c).on('end',()=>require('fs').writeFileSync(${JSON.stringify(received)},JSON.stringify({d,argv:process.argv.slice(2),env:process.env})));`);
  const env: Record<string, string> = { GITHUB_API_URL: 'https://api.github.com', GITHUB_SERVER_URL: 'https://github.com', GITHUB_REPOSITORY: 'octo-org/app-token', RUNNER_TEMP: temp, HOME: temp, 'INPUT_CLIENT-ID': 'Iv23li', 'INPUT_PRIVATE-KEY': key, INPUT_AGENT: 'true' };
  for (const [name, value] of Object.entries(inputs)) env[`INPUT_${name.toUpperCase()}`] = value;
  const settings = readSettings(env);
  const git = jest.fn((args: string[]) => args);
  const exported: [string, string][] = [];
  const paths: string[] = [];
  return { temp, received, script, env, settings, git, exported, paths };
}

const readReceived = async (file: string) => {
  for (let i = 0; i < 100; i++) {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as { d: string; argv: string[]; env: Record<string, string> };
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
  throw new Error('the stand-in agent wrote nothing');
};

describe('starting the agent', () => {
  it('hands the configuration over the pipe only, writes git config, GITHUB_ENV and PATH, saves state', async () => {
    const t = setup({ repositories: 'api', 'agent-owners': 'other-org' });
    const runner = recorder();
    await startAgent({
      env: { ...t.env, RUNNER_TRACKING_ID: 'track', GIT_CONFIG_COUNT: '1' },
      runner,
      retry: DEFAULT_RETRY,
      github: {} as GitHub,
      settings: t.settings,
      installation: { id: 1, appSlug: 'my-app', account: 'octo-org' },
      token: { token: 'ghs_main', expiresAt: '2030-01-01T00:00:00Z', permissions: {}, repositories: ['api'] },
      mintedAt: 1,
      agentScript: t.script,
      git: async (args) => (t.git(args), ''),
      exportVariable: (name, value) => void t.exported.push([name, value]),
      addPath: (dir) => void t.paths.push(dir)
    });
    const got = await readReceived(t.received);
    const config = JSON.parse(got.d);
    expect(config.settings.privateKey).toBe(key.trim());
    expect(config.token.token).toBe('ghs_main');
    expect(got.argv).toEqual(['serve', runner.state['agent-dir']]);
    expect(JSON.stringify(got.argv) + JSON.stringify(got.env)).not.toContain('PRIVATE KEY');
    expect(got.env['RUNNER_TRACKING_ID']).toBe('track');
    expect(Object.keys(got.env).filter((k) => k.startsWith('INPUT_') || k.startsWith('GITHUB_'))).toEqual([]);
    const dir = runner.state['agent-dir'] ?? '';
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    expect(statSync(join(dir, 'secret')).mode & 0o777).toBe(0o600);
    expect(t.git).toHaveBeenCalledWith(['config', '--global', '--add', 'include.path', join(dir, 'gitconfig')]);
    expect(readFileSync(join(dir, 'gitconfig'), 'utf8')).toContain('[credential "https://github.com/other-org/"]');
    expect(t.exported).toEqual([
      ['GIT_CONFIG_KEY_1', 'http.https://github.com/octo-org/api.extraheader'],
      ['GIT_CONFIG_VALUE_1', ''],
      ['GIT_CONFIG_KEY_2', 'http.https://github.com/octo-org/api.git.extraheader'],
      ['GIT_CONFIG_VALUE_2', ''],
      ['GIT_CONFIG_KEY_3', 'http.https://github.com/other-org/.extraheader'],
      ['GIT_CONFIG_VALUE_3', ''],
      ['GIT_CONFIG_COUNT', '4']
    ]);
    expect(t.paths).toEqual([join(dir, 'bin')]);
    expect(readFileSync(join(dir, 'bin', 'app-token'), 'utf8')).toBe(`#!/bin/sh\nexec '${process.execPath}' '${t.script}' token '${dir}' "$@"\n`);
    expect(runner.state['agent-created-config']).toBe(join(t.temp, '.gitconfig'));
  });

  it('an enterprise token: no git config at all, app-token still', async () => {
    const t = setup({ enterprise: 'ent' });
    const runner = recorder();
    await startAgent({
      env: t.env,
      runner,
      retry: DEFAULT_RETRY,
      github: {} as GitHub,
      settings: t.settings,
      installation: { id: 1, appSlug: 'my-app', account: 'ent', enterprise: true },
      token: { token: 'ghs_main', expiresAt: '2030-01-01T00:00:00Z', permissions: {}, repositories: [] },
      mintedAt: 1,
      agentScript: t.script,
      git: async (args) => (t.git(args), ''),
      exportVariable: (name, value) => void t.exported.push([name, value]),
      addPath: (dir) => void t.paths.push(dir)
    });
    await readReceived(t.received);
    expect(t.git).not.toHaveBeenCalled();
    expect(t.exported).toEqual([]);
    expect(t.paths).toHaveLength(1);
    expect(runner.calls.find((c) => c[0] === 'info')?.[1]).toMatch(/git gets none \(an enterprise token reaches no repository\)/);
  });

  it('a missing agent bundle: one message', async () => {
    const t = setup({});
    await expect(
      startAgent({ env: t.env, runner: recorder(), retry: DEFAULT_RETRY, github: {} as GitHub, settings: t.settings, installation: { id: 1, appSlug: '', account: 'o' }, token: { token: 't', expiresAt: '', permissions: {}, repositories: [] }, mintedAt: 1, agentScript: '/nonexistent/agent.cjs' })
    ).rejects.toThrow("'agent': the agent's code is missing (/nonexistent/agent.cjs). Use a released version of the action, or run npm run build.");
  });

  it('the agent’s environment keeps what it needs and drops the rest', () => {
    expect(agentEnv({ PATH: '/bin', https_proxy: 'p', RUNNER_TRACKING_ID: 't', 'INPUT_PRIVATE-KEY': 'k', GITHUB_STATE: 's', NODE_OPTIONS: '--x' })).toEqual({ PATH: '/bin', https_proxy: 'p', RUNNER_TRACKING_ID: 't' });
  });

  it('the bundle entry refuses an unknown command', async () => {
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      await runAgent(['nonsense']);
      expect(process.exitCode).toBe(2);
      expect(String(write.mock.calls[0]?.[0])).toMatch(/^app-token: this is the App Token agent/);
    } finally {
      process.exitCode = 0;
      write.mockRestore();
    }
  });
});
