/**
 * Text that came from the network (a login, a repository name, an error message, a header), fit
 * to print. Escaped the way input values are in messages, so a newline, a leading '::' or a
 * '##[' anywhere (the runner's legacy command form, read anywhere in a line) cannot become a
 * workflow command, and bounded, so a huge body cannot flood the log.
 */
import { shorten } from './input-values.js';

/** How much of GitHub's own message an annotation quotes. */
export const MAX_QUOTED = 300;

/** A value from the server (a name, a level, a time): escaped, cut at `max` characters. */
export function untrusted(value: unknown, max = 200): string {
  return shorten(String(value ?? ''), max).replace(/^::/, '\\u003a:').replace(/##\[/g, '#\\u0023[');
}

/** GitHub's message for an annotation: escaped, and when longer than MAX_QUOTED, cut with a note saying so. */
export function quoted(message: string): string {
  const text = untrusted(message, MAX_QUOTED);
  return message.length > MAX_QUOTED ? `${text} (cut: the message has ${message.length} characters)` : text;
}
