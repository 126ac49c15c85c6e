/** The `enterprise` input: a token for an app installed on an enterprise account (GitHub Enterprise Cloud). */
import { ActionError } from './errors.js';
import { hasForm } from './github-forms.js';
import { shorten } from './untrusted.js';

/** What each input that an enterprise installation cannot take would mean, and what to do instead. */
const CONFLICTS: readonly (readonly [input: string, why: string, instead: string])[] = [
  ['owner', 'an enterprise installation belongs to the enterprise, not to an account', "or remove 'enterprise' to mint from the installation on 'owner'"],
  ['repositories', "an enterprise installation's token has no repositories to limit", "or remove 'enterprise' for a token limited to repositories of an organisation"],
  ['repository-ids', "an enterprise installation's token has no repositories to limit", "or remove 'enterprise' for a token limited to repositories of an organisation"],
  ['installation-id', "'enterprise' already finds the installation", "or remove 'enterprise' to mint from the installation with that ID"]
];


/** The enterprise slug, or undefined when the input is empty. Throws on a bad slug or an input it cannot go with. */
export function readEnterprise(input: (name: string) => string): string | undefined {
  const slug = input('enterprise');
  if (!slug) return undefined;
  for (const [name, why, instead] of CONFLICTS) {
    if (!input(name).split(/[,\n]/).some((entry) => entry.trim())) continue;
    throw new ActionError(`Inputs 'enterprise' and '${name}' cannot be used together: ${why}. Remove '${name}' for a token for the enterprise '${shorten(slug)}', ${instead}.`);
  }
  // lowercase letters, digits and hyphens, starting and ending with a letter or digit
  if (!hasForm('an enterprise slug', slug)) {
    const lower = slug.toLowerCase();
    const hint = hasForm('an enterprise slug', lower) ? ` Did you mean '${lower}'?` : '';
    throw new ActionError(
      `Input 'enterprise' ('${shorten(slug)}') is not an enterprise slug: lowercase letters, digits and hyphens, as in https://github.com/enterprises/<slug>.${hint}`
    );
  }
  return slug;
}
