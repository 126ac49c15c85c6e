// A fresh folder of bare repositories per test for the fake's git bridge (jest only).
import { afterEach, beforeEach } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitHttpBackend, type GitRepos } from '../../fake-github/git.ts';

/**
 * A fresh folder of bare repositories for each test, removed after it. Pass the returned object
 * as the fake's `git` option; `root` changes per test.
 */
export function useGitRepos(): GitRepos {
  const repos: GitRepos = { root: '' };
  beforeEach(() => {
    gitHttpBackend();
    repos.root = mkdtempSync(join(tmpdir(), 'app-token-git-'));
  });
  afterEach(() => {
    rmSync(repos.root, { recursive: true, force: true });
    repos.root = '';
  });
  return repos;
}

