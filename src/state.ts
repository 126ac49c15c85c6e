/** The only module that knows how main hands the token to post. */

export interface SavedToken {
  readonly token: string;
  readonly expiresAt: string;
  readonly apiUrl: string;
  /** when main minted it (runner clock, ms): post waits out GitHub's replication lag like main; undefined when unknown */
  readonly mintedAt: number | undefined;
}

export interface StateStore {
  saveState(name: string, value: string): void;
  getState(name: string): string;
}

const KEYS = { token: 'token', expiresAt: 'expires-at', apiUrl: 'api-url', mintedAt: 'minted-at' } as const;

export function saveToken(store: StateStore, saved: SavedToken): void {
  store.saveState(KEYS.token, saved.token);
  store.saveState(KEYS.expiresAt, saved.expiresAt);
  store.saveState(KEYS.apiUrl, saved.apiUrl);
  if (saved.mintedAt !== undefined) store.saveState(KEYS.mintedAt, String(saved.mintedAt));
}

/** The token main saved, or undefined when main did not mint one. */
export function loadToken(store: StateStore): SavedToken | undefined {
  const token = store.getState(KEYS.token);
  if (!token) return undefined;
  const mintedAt = Number(store.getState(KEYS.mintedAt) || NaN);
  return { token, expiresAt: store.getState(KEYS.expiresAt), apiUrl: store.getState(KEYS.apiUrl), mintedAt: Number.isFinite(mintedAt) ? mintedAt : undefined };
}

/** The agent main started, for post to stop: its directory, pid, and the git config line main added. */
export interface SavedAgent {
  readonly dir: string;
  readonly pid: number;
  /** the include.path main added to the global git config; empty when it added none */
  readonly include: string;
  /** the global git config file, when main's line created it (post removes it when it is left empty) */
  readonly createdConfig: string;
}

const AGENT_KEYS = { dir: 'agent-dir', pid: 'agent-pid', include: 'agent-include', createdConfig: 'agent-created-config' } as const;

export function saveAgent(store: StateStore, agent: Partial<SavedAgent> & Pick<SavedAgent, 'dir' | 'pid'>): void {
  store.saveState(AGENT_KEYS.dir, agent.dir);
  store.saveState(AGENT_KEYS.pid, String(agent.pid));
  if (agent.include) store.saveState(AGENT_KEYS.include, agent.include);
  if (agent.createdConfig) store.saveState(AGENT_KEYS.createdConfig, agent.createdConfig);
}

/** The agent main started, or undefined (no `agent`, or main failed before starting it). */
export function loadAgent(store: StateStore): SavedAgent | undefined {
  const dir = store.getState(AGENT_KEYS.dir);
  const pid = Number(store.getState(AGENT_KEYS.pid));
  if (!dir || !Number.isInteger(pid) || pid <= 0) return undefined;
  return { dir, pid, include: store.getState(AGENT_KEYS.include), createdConfig: store.getState(AGENT_KEYS.createdConfig) };
}
