// Behaviours 5-7 and 9 decided in one place: from what a run found out, whether the step passes,
// what its failure says, the notice, and the next step a person must take. The log, the
// annotations, the summary and the comment all read this one decision.

import { describe, expect, it } from 'vitest';

import type { Connection } from '../../src/connection.js';
import { decideOutcome } from '../../src/outcome.js';
import type { StepFacts } from '../../src/report.js';

const ARN = 'arn:aws:apprunner:eu-west-1:123456789012:connection/shared-conn/0123456789abcdef0123456789abcdef';
const CONSOLE = 'https://eu-west-1.console.aws.amazon.com/apprunner/home?region=eu-west-1#/connections';

function facts(status: Connection['status'] | undefined, overrides: Partial<StepFacts> = {}): StepFacts {
  return {
    name: 'shared-conn',
    providerType: 'GITHUB',
    region: 'eu-west-1',
    dryRun: false,
    repository: 'acme/web',
    maskAccountId: false,
    connection: status && { name: 'shared-conn', arn: ARN, providerType: 'GITHUB', status },
    created: false,
    tagChanges: [],
    ...overrides,
  };
}

describe('a usable or pending connection passes', () => {
  it('passes an AVAILABLE connection with nothing left to do', () => {
    expect(decideOutcome(facts('AVAILABLE'))).toEqual({
      passed: true,
      failure: undefined,
      notice: undefined,
      next: { kind: 'none' },
    });
  });

  it('passes a PENDING_HANDSHAKE connection with a notice linking the console, and the handshake as the next step', () => {
    expect(decideOutcome(facts('PENDING_HANDSHAKE'))).toEqual({
      passed: true,
      failure: undefined,
      notice: {
        title: 'App Runner connection needs a handshake',
        text: `Connection shared-conn is waiting for its handshake: complete it in the App Runner console, ${CONSOLE}`,
      },
      next: { kind: 'handshake' },
    });
  });

  it('passes a dry run that found nothing, whose next step is that a real run would create it', () => {
    expect(decideOutcome(facts(undefined, { dryRun: true }))).toMatchObject({
      passed: true,
      notice: undefined,
      next: { kind: 'would-create' },
    });
  });
});

describe('a connection that cannot be used fails, saying how to recover', () => {
  it('fails an ERROR connection with the delete command for its region, the same the summary gives', () => {
    const command = `aws apprunner delete-connection --connection-arn ${ARN} --region eu-west-1`;
    expect(decideOutcome(facts('ERROR'))).toEqual({
      passed: false,
      failure:
        `Connection shared-conn is in status ERROR and cannot be used. Delete it (${command}) ` +
        'and re-run the workflow to create it again.',
      notice: undefined,
      next: { kind: 'delete-and-rerun', command },
    });
  });

  it('fails a connection deleted during the wait without claiming the wait ran out', () => {
    const outcome = decideOutcome(facts('DELETED', { waited: { forMs: 900_000, lastCheckUnanswered: false } }));
    expect(outcome.passed).toBe(false);
    expect(outcome.failure).toBe(
      'Connection shared-conn is DELETED: it was deleted while the action waited for its handshake. Re-run the workflow to create it again.',
    );
    expect(outcome.next).toEqual({ kind: 'rerun' });
  });
});

describe('a wait that did not end in AVAILABLE fails, with the handshake link', () => {
  it('names the status, the wait and the console', () => {
    const outcome = decideOutcome(
      facts('PENDING_HANDSHAKE', { waited: { forMs: 900_000, lastCheckUnanswered: false } }),
    );
    expect(outcome).toMatchObject({ passed: false, notice: undefined, next: { kind: 'handshake' } });
    expect(outcome.failure).toBe(
      `Connection shared-conn is still PENDING_HANDSHAKE after waiting 15m. Complete the handshake at ${CONSOLE} and re-run the job.`,
    );
  });

  it('says so when the last status check got no answer in time', () => {
    const outcome = decideOutcome(facts('PENDING_HANDSHAKE', { waited: { forMs: 3_000, lastCheckUnanswered: true } }));
    expect(outcome.failure).toContain(
      'still PENDING_HANDSHAKE after waiting 3s (the last status check got no answer in time).',
    );
  });

  it('passes a wait that ended in AVAILABLE', () => {
    expect(decideOutcome(facts('AVAILABLE', { waited: { forMs: 3_000, lastCheckUnanswered: false } })).passed).toBe(
      true,
    );
  });
});

describe('an error fails the step with its own words', () => {
  it('fails with the error before the connection was known, and no next step', () => {
    expect(decideOutcome(facts(undefined, { error: 'Access denied: ...' }))).toEqual({
      passed: false,
      failure: 'Access denied: ...',
      notice: undefined,
      next: { kind: 'none' },
    });
  });

  it('keeps the handshake as the next step when the error came after a pending connection was known', () => {
    expect(decideOutcome(facts('PENDING_HANDSHAKE', { error: 'TagResource was refused.' }))).toMatchObject({
      passed: false,
      failure: 'TagResource was refused.',
      notice: undefined,
      next: { kind: 'handshake' },
    });
  });

  it('makes freeing the quota the next step when the quota refused the create', () => {
    const quota = [
      { name: 'old-one', arn: ARN, providerType: 'GITHUB' as const, status: 'ERROR' as const, createdAt: undefined },
    ];
    expect(decideOutcome(facts(undefined, { error: 'The App Runner connection quota ...', quota })).next).toEqual({
      kind: 'free-quota',
      connections: quota,
    });
  });
});
