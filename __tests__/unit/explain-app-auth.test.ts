// What GitHub's refusals of the app itself become, through the installation lookup against the
// fake GitHub on a real socket: its credentials (key, client ID, app ID, a JWT signed elsewhere)
// and an installation ID it does not have.
import { describe, expect, it } from '@jest/globals';
import { describeInstallation, findInstallation } from '../../src/installation.ts';
import { signJwt } from '../../fake-github/server.ts';
import { useInProcessGitHub } from '../support/in-process.ts';

const t = useInProcessGitHub();

async function lookup(inputs: Record<string, string>) {
  const { github, settings } = await t.client(inputs);
  return findInstallation(github, settings);
}

describe("the app's credentials", () => {
  it.each([
    ['wrong client ID (401)', { 'client-id': 'Iv23liWrongClient' }, [], /GitHub rejected the app's credentials \(401: Integration not found\)\. Check that 'client-id' \('Iv23liWrongClient'\)/],
    ['wrong app ID (401), named as the input given', { 'client-id': '', 'app-id': '424242' }, [], /GitHub rejected the app's credentials \(401: Integration not found\)\. Check that 'app-id' \('424242'\)/],
  ])('%s', async (_, inputs, _faults, message) => {
    await expect(lookup(inputs as Record<string, string>)).rejects.toThrow(message as RegExp);
  });
});

describe('an installation ID', () => {
  it('an installation-id the app does not have (404), looked up for its slug', async () => {
    const { github, settings } = await t.client({ 'installation-id': '999' });
    await expect(describeInstallation(github, 999, settings)).rejects.toThrow(/^Input 'installation-id' is 999, but this app has no installation with that ID/);
  });
});

describe('a JWT signed elsewhere', () => {
  it("GitHub's 401 points at the step that signs it and its 'iss'", async () => {
    const now = Math.floor(Date.now() / 1000);
    const jwt = signJwt(t.key, { iat: now - 60, exp: now + 540, iss: 'Iv23liSomeOtherApp' });
    await expect(lookup({ 'client-id': '', 'private-key': '', 'app-jwt': jwt })).rejects.toThrow(/^GitHub rejected 'app-jwt' \(401: .*sets 'iss' \('Iv23liSomeOtherApp'\) to the app's client ID or app ID\.$/);
  });
});
