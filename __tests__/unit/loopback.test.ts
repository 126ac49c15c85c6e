// Which hosts never leave the runner: plain http is allowed to them, and no proxy carries them.
import { describe, expect, it } from '@jest/globals';
import { isLoopback } from '../../src/loopback.ts';

describe('isLoopback', () => {
  it.each(['localhost', 'LOCALHOST.', '127.0.0.1', '127.1.2.3', '[::1]', '::1'])('%s is', (host) => expect(isLoopback(host)).toBe(true));
  it.each(['localhost.example.com', '128.0.0.1', '127.0.0.1.nip.io', '0.0.0.0', '[::2]', 'ghe.example.com'])('%s is not', (host) => expect(isLoopback(host)).toBe(false));
});
