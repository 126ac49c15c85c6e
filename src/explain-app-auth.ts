/** What GitHub's refusals of the app itself mean (its credentials, an installation ID), and the fix. */
import { clientIdHint } from './client-id-hint.js';
import { ActionError, ApiError } from './errors.js';
import { isForeignAnswer } from './foreign-answer.js';
import type { Settings } from './inputs.js';
import { isClockSkew } from './retry.js';
import { shorten } from './untrusted.js';

export function installationNotFound(id: number): ActionError {
  return new ActionError(`Input 'installation-id' is ${id}, but this app has no installation with that ID (GitHub answered 404). Check the ID in the installation's settings URL, or leave 'installation-id' empty to look it up.`);
}

/** A 401 on an app request means GitHub does not accept this app ID / key pair (unless it is about the JWT's times: the clock). */
export function explainAppAuth(error: unknown, settings: Settings): unknown {
  if (isForeignAnswer(error)) return error; // not GitHub's answer: nothing about the app
  if (error instanceof ApiError && error.status === 401 && !isClockSkew(error.failure) && settings.appJwt) {
    return new ActionError(
      `GitHub rejected 'app-jwt' (401: ${error.detail}). Check that the step that signs it uses the app's private key (for a KMS, the key imported from the app's .pem) and sets 'iss' ('${shorten(settings.issuer)}') to the app's client ID or app ID.`
    );
  }
  if (error instanceof ApiError && error.status === 401 && !isClockSkew(error.failure)) {
    return new ActionError(
      `GitHub rejected the app's credentials (401: ${error.detail}). Check that '${settings.issuerInput}' ('${settings.issuer}') is the client ID or app ID of the app this 'private-key' belongs to, and that the key has not been deleted from the app's settings.${clientIdHint(settings)}`
    );
  }
  return error;
}
