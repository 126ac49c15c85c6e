import { describe, expect, it } from '@jest/globals';
import { DeadlineExceeded, describeDuration, MAIN_DEADLINE_MS, POST_DEADLINE_MS, startDeadline } from '../../src/deadline.ts';

describe('the step deadline', () => {
  it('is 3 minutes for main and 1 for post', () => {
    expect([MAIN_DEADLINE_MS, POST_DEADLINE_MS]).toEqual([180_000, 60_000]);
    expect([describeDuration(MAIN_DEADLINE_MS), describeDuration(POST_DEADLINE_MS), describeDuration(1500), describeDuration(90_000)]).toEqual(['3 minutes', '1 minute', '1.5 s', '90 s']);
  });

  it('lets work that ends in time through, untouched', async () => {
    const deadline = startDeadline(1000);
    await expect(deadline.race(Promise.resolve(42))).resolves.toBe(42);
    await expect(deadline.race(Promise.reject(new Error('own failure')))).rejects.toThrow('own failure');
    deadline.clear();
    expect(deadline.signal.aborted).toBe(false);
  });

  it('at the deadline: rejects with what the step was waiting for, and aborts its signal', async () => {
    const deadline = startDeadline(20);
    deadline.progress.waitingFor = 'an answer to GET /x';
    const never = new Promise<void>(() => undefined);
    const error = await deadline.race(never).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceeded);
    expect(error).toMatchObject({ ms: 20, waitingFor: 'an answer to GET /x' });
    expect(deadline.signal.aborted).toBe(true);
    expect(deadline.signal.reason).toBe(error);
  });

});
