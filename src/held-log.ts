/**
 * Octokit's own log. @octokit/request warns about a deprecated route with the response's
 * `sunset` and `link` headers while the request is still running, before the step has masked the
 * token in that same response. So nothing Octokit says is printed at once: it is held until the
 * step ends (every secret masked by then), then redacted, escaped and sent through the runner's
 * debug and warning channels.
 */
import type { Logger, OctokitLog } from './github.js';
import type { Secrets } from './secrets.js';
import { untrusted } from './untrusted.js';

type Channel = 'debug' | 'warning';

export class HeldLog implements OctokitLog {
  private readonly held: [Channel, string][] = [];
  constructor(
    private readonly log: Logger,
    private readonly secrets: Secrets
  ) {}

  debug = (message: string): void => this.hold('debug', message);
  info = (message: string): void => this.hold('debug', message);
  warn = (message: string): void => this.hold('warning', message);
  error = (message: string): void => this.hold('warning', message);

  private hold(channel: Channel, message: unknown): void {
    this.held.push([channel, String(message)]);
  }

  /** Prints what Octokit said, now that every secret of the step is known. */
  flush(): void {
    for (const [channel, message] of this.held.splice(0)) this.log[channel](`Octokit: ${untrusted(this.secrets.redact(message), 1000)}`);
  }
}
