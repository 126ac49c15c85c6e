// git set-up: the environment git is started with, and the identity written with the real git.
import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configureGit, gitEnv } from '../../src/git-config.ts';

describe('gitEnv', () => {
  const env = { PATH: '/bin', HOME: '/home/r', XDG_CONFIG_HOME: '/home/r/.config', 'INPUT_PRIVATE-KEY': 'key', GITHUB_STATE: '/s', GITHUB_OUTPUT: '/o', USERPROFILE: 'C:\\u', SystemRoot: 'C:\\Windows', APPDATA: 'C:\\a' };
  it('passes only PATH, HOME, XDG_CONFIG_HOME and GIT_CONFIG_GLOBAL on Linux and macOS', () => {
    expect(gitEnv(env, 'linux')).toEqual({ PATH: '/bin', HOME: '/home/r', XDG_CONFIG_HOME: '/home/r/.config' });
    expect(gitEnv({ PATH: '/bin', XDG_CONFIG_HOME: '' }, 'darwin')).toEqual({ PATH: '/bin' });
    expect(gitEnv({ PATH: '/bin', GIT_CONFIG_GLOBAL: '/job/gitconfig', GITHUB_STATE: '/s' }, 'linux')).toEqual({ PATH: '/bin', GIT_CONFIG_GLOBAL: '/job/gitconfig' });
  });
  it('adds USERPROFILE, SystemRoot and APPDATA on Windows, whatever their case', () => {
    expect(gitEnv({ Path: 'C:\\bin', SYSTEMROOT: 'C:\\Windows', 'INPUT_PRIVATE-KEY': 'key' }, 'win32')).toEqual({ PATH: 'C:\\bin', SystemRoot: 'C:\\Windows' });
    expect(Object.keys(gitEnv(env, 'win32')).sort()).toEqual(['APPDATA', 'HOME', 'PATH', 'SystemRoot', 'USERPROFILE', 'XDG_CONFIG_HOME']);
  });
});

describe('configureGit', () => {
  it('writes the identity to the global config of the HOME it is given, with the real git', async () => {
    const home = mkdtempSync(join(tmpdir(), 'git-home-'));
    try {
      const env = { PATH: process.env.PATH, HOME: home, 'INPUT_PRIVATE-KEY': 'not for git' };
      await configureGit({ userId: 1, name: 'my-app[bot]', email: '1+my-app[bot]@users.noreply.github.com', committer: '' }, env);
      const read = (key: string) => execFileSync('git', ['config', '--global', key], { env: { PATH: process.env.PATH, HOME: home } }).toString().trim();
      expect(read('user.name')).toBe('my-app[bot]');
      expect(read('user.email')).toBe('1+my-app[bot]@users.noreply.github.com');
      await expect(configureGit({ userId: 1, name: 'x', email: 'y', committer: '' }, { HOME: home, PATH: '/nonexistent' })).rejects.toThrow(/'configure-git' could not run git config .* Is git installed on the runner\?/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
