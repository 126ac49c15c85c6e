// Octokit's own log, held until the run's secrets are known.
import { describe, expect, it } from '@jest/globals';
import { HeldLog } from '../../src/held-log.ts';
import { Secrets } from '../../src/secrets.ts';
import { recorder } from '../support/recorder.ts';

describe('HeldLog', () => {
  it('prints nothing until flushed, then every message redacted with the secrets known by then, escaped, on debug or warning', () => {
    const r = recorder();
    const secrets = new Secrets(r);
    const log = new HeldLog(r, secrets);
    log.warn('removed on ghs_secret1\n::error::x');
    log.error('failed');
    log.debug('debug ghs_secret1');
    log.info('info');
    expect(r.calls).toEqual([]);
    secrets.mask('ghs_secret1');
    log.flush();
    expect(r.calls.slice(1)).toEqual([
      ['warning', 'Octokit: removed on ***\\n::error::x'],
      ['warning', 'Octokit: failed'],
      ['debug', 'Octokit: debug ***'],
      ['debug', 'Octokit: info']
    ]);
    log.flush();
    expect(r.calls).toHaveLength(5);
  });
});
