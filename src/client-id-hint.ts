/**
 * An app's slug (`my-app`, from https://github.com/apps/my-app) passes the client ID's form check
 * and reaches GitHub, which answers only "401". Say what it looks like and where the ID is.
 */
import type { Settings } from './inputs.js';
import { shorten } from './untrusted.js';

/** ' …looks like the app's slug…' for a rejected `client-id` that is neither digits (app ID) nor `Iv…` (client ID); else ''. */
export function clientIdHint(settings: Pick<Settings, 'issuer' | 'issuerInput'>): string {
  if (settings.issuerInput !== 'client-id' || /^\d+$/.test(settings.issuer) || /^Iv/.test(settings.issuer)) return '';
  return ` '${shorten(settings.issuer)}' looks like the app's slug (the name in https://github.com/apps/<slug>), not its client ID: copy the Client ID (Iv…) from the app's settings page (Settings → Developer settings → GitHub Apps → the app → General → About).`;
}
