// The enterprise input: its slug's form, and the inputs it cannot go with.
import { describe, expect, it } from '@jest/globals';
import { readEnterprise } from '../../src/enterprise.ts';
import { thrownMessage } from '../support/thrown.ts';

const input = (inputs: Record<string, string>) => (name: string) => inputs[name] ?? '';
const refusal = (inputs: Record<string, string>) => thrownMessage(() => readEnterprise(input(inputs)), 'the enterprise input');

describe('readEnterprise', () => {
  it('is undefined when empty, and the slug as given otherwise', () => {
    expect(readEnterprise(input({}))).toBeUndefined();
    expect(readEnterprise(input({ enterprise: 'octo-enterprise', owner: ' , ' }))).toBe('octo-enterprise');
  });

  it.each(['owner', 'repositories', 'repository-ids', 'installation-id'])('cannot go with %s, and says what to remove', (name) => {
    expect(refusal({ enterprise: 'e', [name]: 'x' })).toMatch(new RegExp(`^Inputs 'enterprise' and '${name}' cannot be used together: .*Remove '${name}' for a token for the enterprise 'e', or remove 'enterprise'`));
  });

  it('refuses a slug of another form, suggesting its lowercase form when that is one', () => {
    expect(refusal({ enterprise: 'Octo-Enterprise' })).toMatch(/is not an enterprise slug: .* Did you mean 'octo-enterprise'\?$/);
    expect(refusal({ enterprise: 'octo_ent' })).not.toMatch(/Did you mean/);
  });
});
