/** What both steps are given: the environment, the runner, the retry policy and the clock. */
import { DEFAULT_RETRY, type LagRule, type RetryPolicy } from './retry.js';
import type { Env } from './env.js';
import { actionsRunner, type Runner } from './runner.js';

export interface StepDeps {
  readonly env: Env;
  readonly runner: Runner;
  readonly retry: RetryPolicy;
  readonly clock?: () => number;
  /** the step's overall deadline (ms); MAIN_DEADLINE_MS or POST_DEADLINE_MS when undefined */
  readonly deadlineMs?: number;
}

export function defaultDeps(): StepDeps {
  return { env: process.env, runner: actionsRunner, retry: retryFromEnv(process.env), ...deadlineFromEnv(process.env) };
}

/** Tests shorten both steps' deadline through APP_TOKEN_DEADLINE_MS, as they set the backoff. */
export function deadlineFromEnv(env: Env): { deadlineMs?: number } {
  const ms = Number(env['APP_TOKEN_DEADLINE_MS']);
  return env['APP_TOKEN_DEADLINE_MS'] && ms > 0 ? { deadlineMs: ms } : {};
}

/** Tests set the backoff to zero through APP_TOKEN_RETRY_BASE_MS; nobody else needs to. */
export function retryFromEnv(env: Env): RetryPolicy {
  const base = Number(env['APP_TOKEN_RETRY_BASE_MS']);
  const timeout = Number(env['APP_TOKEN_TIMEOUT_MS']);
  // the replication-lag waits scale with the base: the same number of tries, sooner
  const scale = (rule: LagRule): LagRule => ({ ...rule, delaysMs: rule.delaysMs.map((ms) => (ms * base) / DEFAULT_RETRY.baseDelayMs) });
  return {
    ...DEFAULT_RETRY,
    ...(env['APP_TOKEN_RETRY_BASE_MS'] && base >= 0
      ? { baseDelayMs: base, maxDelayMs: base * 4, unknownRateLimitWaitMs: base * 60, freshToken: scale(DEFAULT_RETRY.freshToken), verifyToken: scale(DEFAULT_RETRY.verifyToken) }
      : {}),
    ...(env['APP_TOKEN_TIMEOUT_MS'] && timeout > 0 ? { timeoutMs: timeout } : {})
  };
}
