// The permissions an installation lacks, named by their inputs, for the message of a refused token.
import { describe, expect, it } from '@jest/globals';
import { missingPermissions } from '../../src/refused-permissions.ts';

describe('missingPermissions', () => {
  it('names by input what is missing or granted lower; admin covers write, write covers read', () => {
    expect(
      missingPermissions({ pull_requests: 'write', issues: 'read', contents: 'write', organization_projects: 'admin' }, { pull_requests: 'read', issues: 'write', contents: 'admin', organization_projects: 'write' })
    ).toEqual(['permission-pull-requests: write (granted: read)', 'permission-organization-projects: admin (granted: write)']);
  });

  it('a level GitHub sent that is not a known one counts as lacking, and is escaped', () => {
    expect(missingPermissions({ issues: 'read' }, { issues: '::stop-commands::x' })).toEqual(['permission-issues: read (granted: \\u003a:stop-commands::x)']);
  });

  it('unknown grants (no lookup) name nothing; an unknown name keeps the input form', () => {
    expect(missingPermissions({ issues: 'read' }, undefined)).toEqual([]);
    expect(missingPermissions({ some_new_thing: 'read' }, {})).toEqual(['permission-some-new-thing: read (granted: none)']);
  });
});
