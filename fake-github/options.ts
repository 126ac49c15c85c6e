// How the fake GitHub is configured (startFakeGitHub's options) and the state built from them.
import { createPublicKey, type KeyObject } from 'node:crypto';
import type { GitRepos } from './git.ts';
import type { FakeState, PermissionLevel } from './objects.ts';

export interface FakeAppOptions {
  id?: number;
  clientId?: string;
  slug?: string;
  name?: string;
  /** PEM (or KeyObject) of the app key's public half. */
  publicKey?: string | KeyObject;
  /** Alternatively the private key; the public half is derived from it. */
  privateKey?: string | KeyObject;
  permissions?: Record<string, PermissionLevel>;
  botUserId?: number;
}

export interface FakeInstallationOptions {
  id: number;
  account: string;
  /** 'Enterprise': `account` is the enterprise's slug (see enterprise.ts). */
  accountType: 'Organization' | 'User' | 'Enterprise';
  /** Repository names the installation can see. */
  repositories: string[];
  repositorySelection?: 'all' | 'selected';
  accountId?: number;
  /** A suspended installation answers 403 when a token is requested. */
  suspended?: boolean;
}

export interface FakeGitHubOptions {
  /** The app; publicKey or privateKey is required. */
  app: FakeAppOptions;
  installations?: FakeInstallationOptions[];
  /** e.g. '/api/v3' for GitHub Enterprise Server. */
  pathPrefix?: string;
  /** Server clock = Date.now() + clockOffsetMs (negative: the runner's clock is ahead). */
  clockOffsetMs?: number;
  tokenStyle?: 'classic' | 'stateless';
  tokenLifetimeMs?: number;
  /** Serve git over HTTP (and repository contents) from these bare repositories (git.ts). */
  git?: GitRepos;
  /**
   * Answer 400 to a request without `X-GitHub-Api-Version: 2022-11-28` (GitHub itself falls back
   * to its default version; the action must not rely on that). Off for raw-request tests.
   */
  requireApiVersion?: boolean;
}

export const DEFAULT_APP_PERMISSIONS: Record<string, PermissionLevel> = {
  actions: 'read',
  contents: 'write',
  issues: 'write',
  metadata: 'read',
  pull_requests: 'write'
};

export const DEFAULT_INSTALLATIONS: FakeInstallationOptions[] = [
  { id: 1001, account: 'octo-org', accountType: 'Organization', repositories: ['app-token', 'api', 'web'] },
  { id: 1002, account: 'octo-user', accountType: 'User', repositories: ['dotfiles'] }
];

/** '' or '/api/v3' (leading slash, no trailing one). */
export function normalizePrefix(prefix: string | undefined): string {
  const trimmed = (prefix ?? '').replace(/\/+$/, '');
  return trimmed === '' || trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** The app, installations and token settings with every default filled in. */
export function resolveState(options: FakeGitHubOptions): FakeState {
  const app = options.app;
  const keySource = app?.publicKey ?? app?.privateKey;
  if (!keySource) throw new Error('startFakeGitHub: app.publicKey or app.privateKey is required');
  return {
    app: {
      id: app.id ?? 123456,
      clientId: app.clientId ?? 'Iv23liFakeClient01',
      slug: app.slug ?? 'my-app',
      name: app.name ?? 'My App',
      permissions: { ...(app.permissions ?? DEFAULT_APP_PERMISSIONS) },
      botUserId: app.botUserId ?? 987654321,
      publicKey: createPublicKey(keySource)
    },
    installations: (options.installations ?? DEFAULT_INSTALLATIONS).map((inst) => ({
      id: inst.id,
      account: inst.account,
      accountType: inst.accountType,
      accountId: inst.accountId ?? 5_000_000 + inst.id,
      repositories: [...inst.repositories],
      repositorySelection: inst.repositorySelection ?? 'all',
      suspended: inst.suspended ?? false
    })),
    tokens: new Map(),
    tokenStyle: options.tokenStyle ?? 'classic',
    tokenLifetimeMs: options.tokenLifetimeMs ?? 3_600_000
  };
}
