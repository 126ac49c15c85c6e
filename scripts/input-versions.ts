// The release that first shipped each input of action.yml: the "Since" column of the README's
// input tables (scripts/readme-tables.ts). A new input goes under the release it will ship in;
// `npm run check:generated` fails while an input of action.yml is in none of them.
// Names that action.yml does not (yet) declare are ignored.

export const INPUTS_SINCE: Readonly<Record<string, readonly string[]>> = {
  '1.0.0': [
    'client-id', 'app-id', 'private-key', 'owner', 'repositories', 'installation-id',
    'skip-token-revoke', 'github-api-url', 'bot-identity', 'configure-git', 'summary',
    // one per GitHub App permission in @octokit/openapi at the time
    'permission-actions', 'permission-administration', 'permission-artifact-metadata',
    'permission-attestations', 'permission-checks', 'permission-code-quality',
    'permission-codespaces', 'permission-contents',
    'permission-custom-properties-for-organizations', 'permission-dependabot-secrets',
    'permission-deployments', 'permission-discussions', 'permission-email-addresses',
    'permission-enterprise-custom-properties-for-organizations', 'permission-environments',
    'permission-followers', 'permission-git-ssh-keys', 'permission-gpg-keys',
    'permission-interaction-limits', 'permission-issues', 'permission-members',
    'permission-merge-queues', 'permission-metadata', 'permission-organization-administration',
    'permission-organization-announcement-banners',
    'permission-organization-copilot-agent-settings',
    'permission-organization-copilot-seat-management', 'permission-organization-custom-org-roles',
    'permission-organization-custom-properties', 'permission-organization-custom-roles',
    'permission-organization-events', 'permission-organization-hooks',
    'permission-organization-packages', 'permission-organization-personal-access-token-requests',
    'permission-organization-personal-access-tokens', 'permission-organization-plan',
    'permission-organization-projects', 'permission-organization-secrets',
    'permission-organization-self-hosted-runners', 'permission-organization-user-blocking',
    'permission-packages', 'permission-pages', 'permission-profile', 'permission-pull-requests',
    'permission-repository-custom-properties', 'permission-repository-hooks',
    'permission-repository-projects', 'permission-secret-scanning-alerts', 'permission-secrets',
    'permission-security-events', 'permission-single-file', 'permission-starring',
    'permission-statuses', 'permission-vulnerability-alerts', 'permission-workflows'
  ],
  '1.1.0': [
    'app-jwt', 'repository-ids', 'enterprise', 'verify-token',
    'agent', 'agent-owners', 'agent-lifetime',
    'permission-enterprise-administration', 'permission-enterprise-custom-properties',
    'permission-enterprise-organization-installation-repositories',
    'permission-enterprise-organization-installations', 'permission-team-discussions'
  ]
};
