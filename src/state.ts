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
