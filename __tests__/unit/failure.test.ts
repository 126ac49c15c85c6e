// How a failure is reported: one annotation, secrets redacted.
import { describe, expect, it } from '@jest/globals';
import { reportFailure } from '../../src/failure.ts';
import { ActionError } from '../../src/errors.ts';
import { Secrets } from '../../src/secrets.ts';
import { recorder } from '../support/recorder.ts';

describe('reportFailure', () => {
  it('labels an error it did not foresee as unexpected, and redacts known secrets from it', () => {
    const r = recorder();
    const secrets = new Secrets(r);
    secrets.mask('s3cr3t-value');
    reportFailure(r, secrets, new RangeError('broke near s3cr3t-value'));
    expect(r.failures).toEqual(['Unexpected error: broke near ***']);
  });

  it('prints an ActionError as written, with no label', () => {
    const r = recorder();
    reportFailure(r, new Secrets(r), new ActionError("Input 'owner' is wrong."));
    expect(r.failures).toEqual(["Input 'owner' is wrong."]);
  });
});
