import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addInclude, agentPrefixes, credentialConfig, extraheaderOverrides, gitRunner, gitServer, globalConfigPath, helperCommand, removeInclude, shellQuote } from '../../src/agent-git.js';

describe('the git server for the API URL', () => {
  it("the job's own server when the API URL is the job's", () => {
    expect(gitServer('https://ghe.example.com/api/v3', { GITHUB_API_URL: 'https://ghe.example.com/api/v3/', GITHUB_SERVER_URL: 'https://ghe.example.com/' })).toBe('https://ghe.example.com');
  });
  it('derived otherwise: github.com, ghe.com, /api/v3, anything else', () => {
    const other = { GITHUB_API_URL: 'https://api.github.com', GITHUB_SERVER_URL: 'https://github.com' };
    expect(gitServer('https://api.github.com', {})).toBe('https://github.com');
    expect(gitServer('https://api.octo.ghe.com', other)).toBe('https://octo.ghe.com');
    expect(gitServer('https://ghe.example.com/api/v3', other)).toBe('https://ghe.example.com');
    expect(gitServer('http://127.0.0.1:8080/prefix', other)).toBe('http://127.0.0.1:8080');
  });
});

describe('the prefixes the agent serves', () => {
  const base = { server: 'https://github.com', account: 'octo-org', repositories: [] as string[], owners: [] as string[], enterprise: false };
  it('each named repository, with and without .git, plus each agent owner', () => {
    expect(agentPrefixes({ ...base, repositories: ['api'], owners: ['other-org'] })).toEqual([
      'https://github.com/octo-org/api',
      'https://github.com/octo-org/api.git',
      'https://github.com/other-org/'
    ]);
  });
  it('the owner when none is named, or more than 20', () => {
    expect(agentPrefixes(base)).toEqual(['https://github.com/octo-org/']);
    expect(agentPrefixes({ ...base, repositories: Array.from({ length: 21 }, (_, i) => `r${i}`) })).toEqual(['https://github.com/octo-org/']);
    expect(agentPrefixes({ ...base, repositories: Array.from({ length: 20 }, (_, i) => `r${i}`) })).toHaveLength(40);
  });
  it('none for an enterprise token', () => {
    expect(agentPrefixes({ ...base, enterprise: true, owners: ['x'] })).toEqual([]);
  });
});

describe('config text', () => {
  it('the helper: forward slashes in single quotes, for Git for Windows too', () => {
    expect(shellQuote("C:\\Program Files\\node's.exe")).toBe("'C:/Program Files/node'\\''s.exe'");
    expect(helperCommand('/n/node', '/d/agent/index.js', '/t/dir')).toBe("!'/n/node' '/d/agent/index.js' credential '/t/dir'");
  });
  it('per prefix: the empty helper first, then the agent, useHttpPath and the user name', () => {
    expect(credentialConfig(['https://github.com/o/r'], '!a "b"')).toBe(
      '[credential "https://github.com/o/r"]\n\thelper =\n\thelper = "!a \\"b\\""\n\tuseHttpPath = true\n\tusername = x-access-token\n'
    );
  });
  it('GIT_CONFIG_* entries appended after the job’s own', () => {
    expect(extraheaderOverrides(['https://github.com/o/'], { GIT_CONFIG_COUNT: '2' })).toEqual([
      ['GIT_CONFIG_KEY_2', 'http.https://github.com/o/.extraheader'],
      ['GIT_CONFIG_VALUE_2', ''],
      ['GIT_CONFIG_COUNT', '3']
    ]);
    expect(extraheaderOverrides(['p'], { GIT_CONFIG_COUNT: 'x' })[0]).toEqual(['GIT_CONFIG_KEY_0', 'http.p.extraheader']);
  });
});

describe('the global config file', () => {
  it('GIT_CONFIG_GLOBAL, ~/.gitconfig, or XDG’s when only that exists', () => {
    const home = mkdtempSync(join(tmpdir(), 'agent-git-'));
    expect(globalConfigPath({ GIT_CONFIG_GLOBAL: '/x', HOME: home }, 'linux')).toBe('/x');
    expect(globalConfigPath({ HOME: home }, 'linux')).toBe(join(home, '.gitconfig'));
    expect(globalConfigPath({ USERPROFILE: home }, 'win32')).toBe(join(home, '.gitconfig'));
    const xdg = join(home, 'xdg');
    mkdirSync(join(xdg, 'git'), { recursive: true });
    writeFileSync(join(xdg, 'git', 'config'), '');
    expect(globalConfigPath({ HOME: home, XDG_CONFIG_HOME: xdg }, 'linux')).toBe(join(xdg, 'git', 'config'));
  });
  it('adding and removing the include leaves the file byte for byte as it was, other includes too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'agent-git-'));
    const file = join(dir, 'global');
    const git = await gitRunner({ PATH: process.env.PATH, HOME: dir, GIT_CONFIG_GLOBAL: file });
    for (const before of ['[user]\n\tname = x\n', '[include]\n\tpath = /other\n[user]\n\tname = x\n']) {
      writeFileSync(file, before);
      await addInclude(git, join(dir, 'agent.gitconfig'));
      expect(readFileSync(file, 'utf8')).toContain(`path = ${join(dir, 'agent.gitconfig')}`);
      await removeInclude(git, join(dir, 'agent.gitconfig'));
      expect(readFileSync(file, 'utf8')).toBe(before);
    }
  });
  it('a git that cannot run: one message naming the input', async () => {
    await expect(addInclude(async () => Promise.reject(new Error('spawn git ENOENT')), '/x')).rejects.toThrow(
      "'agent' could not add its credential helper to the global git config (spawn git ENOENT). Is git installed on the runner? The token outputs are set."
    );
  });
});
