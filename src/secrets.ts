/** The run's secrets: masked as they appear, and redacted from every message we print. */
import type { Runner } from './runner.js';

/** Masks secrets as they appear and remembers them, so no message we print can carry one. */
export class Secrets {
  private readonly known: string[] = [];
  constructor(private readonly runner: Runner) {}

  mask(...values: string[]): void {
    for (const value of values) {
      if (!value || this.known.includes(value)) continue;
      this.runner.setSecret(value);
      this.known.push(value);
    }
  }

  redact(text: string): string {
    return redact(text, this.known);
  }

  /** An error's message, fit to print. */
  messageOf(error: unknown): string {
    return this.redact(error instanceof Error ? error.message : String(error));
  }
}

/** Replaces every occurrence of each secret (longest first) with '***'. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) {
    if (secret.length > 0) out = out.split(secret).join('***');
  }
  return out;
}
