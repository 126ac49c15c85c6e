/** The `agent`, `agent-owners` and `agent-lifetime` inputs: whether main starts the token agent, and its limits. */
import { ActionError } from './errors.js';
import { readBoolean } from './input-values.js';
import { shorten } from './untrusted.js';

export interface AgentSettings {
  /** other accounts whose repositories the agent may mint one-repository tokens for, on demand */
  readonly owners: readonly string[];
  /** the agent exits by itself this long after main started it */
  readonly lifetimeMs: number;
}

export const DEFAULT_AGENT_LIFETIME = '6h';
const UNIT_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000 };

/** undefined unless `agent` is true. `appJwt`: the `app-jwt` input was given (the agent could not renew it). */
export function readAgentSettings(input: (name: string) => string, appJwt: boolean): AgentSettings | undefined {
  const on = readBoolean('agent', input('agent'), false);
  const owners = readOwners(input('agent-owners'));
  const lifetimeMs = readLifetime(input('agent-lifetime'));
  if (!on) {
    if (owners.length) throw new ActionError(`Input 'agent-owners' is set, but 'agent' is not true: only the agent mints tokens for other owners. Set 'agent: true', or remove 'agent-owners'.`);
    return undefined;
  }
  if (appJwt) {
    throw new ActionError(
      `Input 'agent' cannot be used with 'app-jwt': the agent signs a new JWT for every token it mints during the job, and a JWT signed elsewhere cannot be renewed (it is valid for 10 minutes at most). Use 'private-key', or mint one token per step with 'app-jwt' (see the README recipe "Sign the JWT in a KMS" and its limits).`
    );
  }
  return { owners, lifetimeMs };
}

function readOwners(value: string): string[] {
  const owners = new Map<string, string>();
  for (const entry of value.split(/[,\n]/).map((e) => e.trim()).filter(Boolean)) {
    if (!/^[A-Za-z0-9](?:[A-Za-z0-9_-]{0,99})$/.test(entry)) {
      throw new ActionError(`Input 'agent-owners' has '${shorten(entry)}', which is not a GitHub account name (letters, digits and hyphens, e.g. 'octo-org'). Separate accounts with commas or newlines.`);
    }
    owners.set(entry.toLowerCase(), owners.get(entry.toLowerCase()) ?? entry);
  }
  return [...owners.values()];
}

/** `90s`, `30m`, `6h`: from 10 s to 5 days (the longest a job may run, on a self-hosted runner). */
export function readLifetime(value: string): number {
  const match = /^(\d{1,6})\s*([smh])$/.exec(value || DEFAULT_AGENT_LIFETIME);
  const ms = match ? Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? 0) : 0;
  if (!match || ms < 10_000 || ms > 120 * 3_600_000) {
    throw new ActionError(`Input 'agent-lifetime' is '${shorten(value)}'; use a duration from 10s to 120h, such as 90s, 30m or 6h (the default, the longest job on GitHub-hosted runners).`);
  }
  return ms;
}
