/**
 * One overall deadline per step. Each request is bounded (timeout, attempts, waits), but a slow or
 * hostile server can chain them into many minutes; past the deadline the step stops waiting,
 * aborts what is in flight and says what it was waiting for.
 */

/**
 * main: lookup, mint, verify and bot lookup with their usual retries fit inside it; waits for rate
 * limits (up to a minute each) can use it up, and then the step stops rather than waits longer
 */
export const MAIN_DEADLINE_MS = 3 * 60_000;
/** post: one revocation, with its retries */
export const POST_DEADLINE_MS = 60_000;

/** What the step is waiting for right now, kept up to date by the client, for the deadline's message. */
export interface Progress {
  waitingFor: string;
}

/** Thrown (and used as the abort reason) when the deadline passes. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(
    readonly ms: number,
    readonly waitingFor: string
  ) {
    super(`the step's deadline of ${describeDuration(ms)} passed while waiting for ${waitingFor}`);
  }
}

export interface Deadline {
  readonly signal: AbortSignal;
  readonly progress: Progress;
  /** `work`'s result, or a DeadlineExceeded when the deadline passes first (work is then aborted through `signal`). */
  race<T>(work: Promise<T>): Promise<T>;
  clear(): void;
}

export function startDeadline(ms: number): Deadline {
  const controller = new AbortController();
  const progress: Progress = { waitingFor: 'the step to start' };
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceeded(ms, progress.waitingFor);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  expired.catch(() => undefined);
  return {
    signal: controller.signal,
    progress,
    race<T>(work: Promise<T>): Promise<T> {
      work.catch(() => undefined); // after the deadline, its end is of no interest
      return Promise.race([work, expired]);
    },
    clear: () => clearTimeout(timer)
  };
}

/** 3 minutes, 1 minute, 1.5 s. */
export function describeDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return ms === 60_000 ? '1 minute' : `${ms / 60_000} minutes`;
  return `${Number((ms / 1000).toFixed(1))} s`;
}
