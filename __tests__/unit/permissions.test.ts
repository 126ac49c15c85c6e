// The permission inputs, read and checked against the generated table of GitHub's permissions.
import { describe, expect, it } from '@jest/globals';
import { inputFrom, inputNames } from '../../src/input-values.ts';
import { readPermissions } from '../../src/permissions.ts';
import { thrownMessage } from '../support/thrown.ts';

function env(inputs: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value]));
}
const permissions = (inputs: Record<string, string>) => readPermissions(inputFrom(env(inputs)), inputNames(env(inputs)));
const refusal = (inputs: Record<string, string>) => thrownMessage(() => permissions(inputs), 'the permission inputs');

describe('permissions', () => {
  it('collects non-empty permission inputs, trimmed and case-insensitive', () => {
    expect(permissions({ 'permission-contents': ' Write ', 'permission-pull-requests': 'read', 'permission-issues': '' })).toEqual({
      contents: 'write',
      pull_requests: 'read'
    });
  });
  it('sends no permissions when none is set', () => {
    expect(permissions({ 'permission-issues': '' })).toBeUndefined();
  });
  it('refuses a level GitHub does not allow, naming the allowed ones', () => {
    expect(refusal({ 'permission-workflows': 'read' })).toMatch(/Input 'permission-workflows' is 'read', but GitHub accepts only 'write' for it/);
    expect(refusal({ 'permission-contents': 'admin' })).toMatch(/accepts only 'read' or 'write'/);
  });
  it('refuses an undeclared permission input and suggests the closest', () => {
    expect(refusal({ 'permission-pull_requests': 'write' })).toMatch(/Input 'permission-pull_requests' is not a permission.*Did you mean 'permission-pull-requests'\?/);
    expect(refusal({ 'permissions-contents': 'read' })).toMatch(/Did you mean 'permission-contents'\?/);
    expect(refusal({ 'permission-zzzzzzzzzzzzzzzz': 'read' })).not.toMatch(/Did you mean/);
  });
});
