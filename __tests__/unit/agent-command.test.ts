// The agent's command line: anything but its three commands is refused with a line that says what it is.
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import { runAgent } from '../../src/agent-command.ts';

afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
});

describe('runAgent', () => {
  it.each([[[]], [['credential']], [['token']], [['serve-me', '/tmp/x']]])('refuses %p with exit code 2 and one line', async (argv) => {
    const err: string[] = [];
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    await runAgent(argv);
    expect(process.exitCode).toBe(2);
    expect(err).toEqual(['app-token: this is the App Token agent; later steps run it as app-token or through git.\n']);
  });
});
