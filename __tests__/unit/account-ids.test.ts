// mask-aws-account-id: the account id is found in every ARN a text carries, whatever the
// service, and hidden from the summary and the comment, also where it stands alone.

import { describe, expect, it } from 'vitest';

import { accountIdsIn, hideAccountIds } from '../../src/account-ids.js';

const CONNECTION = 'arn:aws:apprunner:eu-west-1:123456789012:connection/web/0123456789abcdef0123456789abcdef';

describe('finding account ids', () => {
  it('takes the account field of ARNs of any partition and service, a regionless one too, each once', () => {
    const text =
      `${CONNECTION} and arn:aws:sts::210987654321:assumed-role/ci/run, ` +
      `arn:aws-us-gov:apprunner:us-gov-west-1:111122223333:connection/x/1 and ${CONNECTION} again`;
    expect(accountIdsIn(text)).toEqual(['123456789012', '210987654321', '111122223333']);
  });

  it('takes no other number of twelve digits', () => {
    expect(accountIdsIn('ticket 123456789012, arn:aws:s3:::my-bucket-123456789012')).toEqual([]);
  });
});

describe('hiding account ids', () => {
  it('replaces the account field of every ARN, and every bare occurrence of the ids it is told of', () => {
    const text = `${CONNECTION} (account 123456789012); arn:aws:sts::999999999999:assumed-role/ci`;
    expect(hideAccountIds(text, ['123456789012'])).toBe(
      'arn:aws:apprunner:eu-west-1:<account-id>:connection/web/0123456789abcdef0123456789abcdef ' +
        '(account <account-id>); arn:aws:sts::<account-id>:assumed-role/ci',
    );
  });

  it('leaves a text without ARNs or known ids as it is', () => {
    expect(hideAccountIds('nothing to hide here: 42', ['123456789012'])).toBe('nothing to hide here: 42');
  });
});
