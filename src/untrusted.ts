/**
 * Text fit to print: input values quoted in messages, and text that came from the network (a
 * login, a repository name, an error message, a header), escaped so a newline, a leading '::' or
 * a '##[' anywhere (the runner's legacy command form, which it reads anywhere in a line) cannot
 * become a workflow command, and bounded, so a huge body cannot flood the log.
 */

/**
 * A value fit to quote in a one-paragraph message. Inputs are not secret, but an oversized one
 * should not flood the log (cut at `max` characters, never inside an emoji or other
 * astral character), and line breaks, control characters and invisible format characters
 * (zero-width, bidi overrides) are shown escaped: they could not break the message over lines or
 * reorder it, and the reader sees why e.g. 'octo\u200borg' is not a valid name.
 */
export function shorten(value: string, max = 60): string {
  let end = 0;
  let count = 0;
  for (const char of value) {
    if (count++ === max) break;
    end += char.length;
  }
  const head = end < value.length ? `${value.slice(0, end)}…` : value;
  return head.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (char) => {
    const escapes: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };
    const code = char.codePointAt(0) ?? 0;
    return escapes[char] ?? (code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`);
  });
}

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
