// The message of what a call throws, for tests of validation messages; fails when nothing is thrown.
export function thrownMessage(call: () => unknown, what: string): string {
  try {
    call();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`expected ${what} to fail`);
}
