// The agent's line in the global git config: added and removed byte for byte, directly where git's
// choice of file is plain, through real git otherwise; git itself reads what was written.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addInclude, gitRunner, globalConfigPath, includeSection, removeInclude, type GitRunner } from '../../src/agent-include.js';

function setup() {
  const dir = mkdtempSync(join(tmpdir(), 'agent-include-'));
  const includePath = join(dir, 'agent "dir"', 'gitconfig');
  mkdirSync(join(dir, 'agent "dir"'));
  writeFileSync(includePath, '[credential "https://example.com/o/"]\n\tusername = x-access-token\n');
  const calls: string[][] = [];
  const counting = async (env: Record<string, string>): Promise<GitRunner> => {
    const real = await gitRunner(env);
    return (args) => (calls.push(args), real(args));
  };
  /** what git itself reads as the global config's user name for the agent's URLs */
  const gitReads = (env: Record<string, string>) =>
    execFileSync('git', ['config', '--global', '--includes', '--get-urlmatch', 'credential.username', 'https://example.com/o/r'], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' }).trim();
  return { dir, includePath, calls, counting, gitReads };
}

describe('the global config file', () => {
  it('GIT_CONFIG_GLOBAL, ~/.gitconfig, or XDG’s when only that exists; HOME first on Windows too', () => {
    const home = mkdtempSync(join(tmpdir(), 'agent-include-'));
    expect(globalConfigPath({ GIT_CONFIG_GLOBAL: '/x', HOME: home }, 'linux')).toBe('/x');
    expect(globalConfigPath({ HOME: home }, 'linux')).toBe(join(home, '.gitconfig'));
    expect(globalConfigPath({ USERPROFILE: home }, 'win32')).toBe(join(home, '.gitconfig'));
    expect(globalConfigPath({ HOME: home, USERPROFILE: '/elsewhere' }, 'win32')).toBe(join(home, '.gitconfig'));
    const xdg = join(home, 'xdg');
    mkdirSync(join(xdg, 'git'), { recursive: true });
    writeFileSync(join(xdg, 'git', 'config'), '');
    expect(globalConfigPath({ HOME: home, XDG_CONFIG_HOME: xdg }, 'linux')).toBe(join(xdg, 'git', 'config'));
  });
});

describe('adding and removing the include', () => {
  it('directly, without git, in the file git reads, and back byte for byte', async () => {
    for (const where of ['GIT_CONFIG_GLOBAL', 'HOME', 'XDG'] as const) {
      const t = setup();
      const xdg = join(t.dir, 'xdg');
      const env: Record<string, string> =
        where === 'GIT_CONFIG_GLOBAL' ? { HOME: t.dir, GIT_CONFIG_GLOBAL: join(t.dir, 'global') } : where === 'HOME' ? { HOME: t.dir } : { HOME: t.dir, XDG_CONFIG_HOME: xdg };
      const file = where === 'GIT_CONFIG_GLOBAL' ? join(t.dir, 'global') : where === 'HOME' ? join(t.dir, '.gitconfig') : join(xdg, 'git', 'config');
      mkdirSync(join(xdg, 'git'), { recursive: true });
      for (const before of ['', '[user]\n\tname = x\n', '[include]\n\tpath = /other\n[user]\n\tname = x\n']) {
        writeFileSync(file, before);
        const git = await t.counting(env);
        await addInclude({ env, includePath: t.includePath, platform: 'linux', git });
        expect(readFileSync(file, 'utf8')).toBe(before + includeSection(t.includePath));
        expect(t.gitReads(env)).toBe('x-access-token');
        await removeInclude({ env, includePath: t.includePath, platform: 'linux', git });
        expect(readFileSync(file, 'utf8')).toBe(before);
        expect(t.calls).toEqual([]);
      }
    }
  });

  it('a missing file is created', async () => {
    const t = setup();
    const env = { HOME: t.dir };
    await addInclude({ env, includePath: t.includePath, platform: 'linux', git: await t.counting(env) });
    expect(readFileSync(join(t.dir, '.gitconfig'), 'utf8')).toBe(includeSection(t.includePath));
    expect(t.calls).toEqual([]);
  });

  it('through git when the file lacks a final newline, is locked, or was changed after main; back byte for byte', async () => {
    const t = setup();
    const env = { HOME: t.dir };
    const file = join(t.dir, '.gitconfig');
    const git = await t.counting(env);

    writeFileSync(file, '[user]\n\tname = x');
    await addInclude({ env, includePath: t.includePath, platform: 'linux', git });
    expect(t.calls.at(-1)).toEqual(['config', '--global', '--add', 'include.path', t.includePath]);
    expect(t.gitReads(env)).toBe('x-access-token');

    // a later step changed the file after main: the section is no longer its end
    writeFileSync(file, `[user]\n\tname = x\n${includeSection(t.includePath)}[core]\n\tpager = cat\n`);
    await removeInclude({ env, includePath: t.includePath, platform: 'linux', git });
    expect(readFileSync(file, 'utf8')).toBe('[user]\n\tname = x\n[core]\n\tpager = cat\n');

    writeFileSync(file, '[user]\n\tname = x\n');
    writeFileSync(`${file}.lock`, '');
    t.calls.length = 0;
    await expect(addInclude({ env, includePath: t.includePath, platform: 'linux', git })).rejects.toThrow(/^'agent' could not add its credential helper to the global git config \(.*lock.*\)\. Is git installed on the runner\? The token outputs are set\.$/);
    expect(t.calls).toHaveLength(1);
    expect(readFileSync(file, 'utf8')).toBe('[user]\n\tname = x\n');
  });

  it('on Windows always through git, which finds its home itself', async () => {
    const calls: string[][] = [];
    const git: GitRunner = async (args) => (calls.push(args), '');
    await addInclude({ env: { HOME: '/nonexistent' }, includePath: 'C:\\t\\gitconfig', platform: 'win32', git });
    await removeInclude({ env: { HOME: '/nonexistent' }, includePath: 'C:\\t\\gitconfig', platform: 'win32', git });
    expect(calls.map((c) => c.slice(2, 4).join(' '))).toEqual(['--add include.path', '--fixed-value --unset-all', '--get-regexp ^include\\.', '--remove-section include']);
    expect(existsSync('/nonexistent/.gitconfig')).toBe(false);
  });

  it('a git that cannot run: one message naming the input', async () => {
    await expect(addInclude({ env: {}, includePath: '/x', platform: 'linux', git: async () => Promise.reject(new Error('spawn git ENOENT')) })).rejects.toThrow(
      "'agent' could not add its credential helper to the global git config (spawn git ENOENT). Is git installed on the runner? The token outputs are set."
    );
  });
});
