// The one decision about a run: whether the step passes, the failure text, the notice, and the
// next step a person must take. The log, the annotations, the job summary and the pull-request
// comment all read it, so they cannot disagree.

import type { AccountConnection } from './aws-answers.js';
import { deleteConnectionCommand, handshakeUrl } from './aws-links.js';
import { formatDuration } from './duration.js';
import type { StepFacts } from './report.js';

export type NextStep =
  /** Complete the provider handshake in the console. */
  | { readonly kind: 'handshake' }
  /** The connection is in ERROR: delete it and re-run, which creates it again. */
  | { readonly kind: 'delete-and-rerun'; readonly command: string }
  /** The connection was deleted while the run waited: re-run to create it again. */
  | { readonly kind: 'rerun' }
  /** A dry run found no connection: a real run would create it. */
  | { readonly kind: 'would-create' }
  /** The connection quota is reached: free a connection, or raise the quota. */
  | { readonly kind: 'free-quota'; readonly connections: readonly AccountConnection[] }
  | { readonly kind: 'none' };

export interface Outcome {
  readonly passed: boolean;
  /** Why the step fails; undefined when it passes. */
  readonly failure: string | undefined;
  /** A notice annotation for a step that passes but leaves something to do. */
  readonly notice: { readonly title: string; readonly text: string } | undefined;
  readonly next: NextStep;
}

export function decideOutcome(facts: StepFacts): Outcome {
  const { connection, name, region = '' } = facts;
  const fail = (failure: string, next: NextStep): Outcome => ({ passed: false, failure, notice: undefined, next });

  if (facts.error !== undefined) {
    if (facts.quota) return fail(facts.error, { kind: 'free-quota', connections: facts.quota });
    return fail(facts.error, connection ? statusStep(connection.arn, connection.status, region) : { kind: 'none' });
  }
  if (!connection) return { passed: true, failure: undefined, notice: undefined, next: { kind: 'would-create' } };

  const next = statusStep(connection.arn, connection.status, region);
  if (connection.status === 'ERROR') {
    return fail(
      `Connection ${name} is in status ERROR and cannot be used. Delete it ` +
        `(${deleteConnectionCommand(connection.arn, region)}) and re-run the workflow to create it again.`,
      next,
    );
  }
  if (connection.status === 'DELETED') {
    return fail(
      `Connection ${name} is DELETED: it was deleted while the action waited for its handshake. Re-run the workflow to create it again.`,
      next,
    );
  }
  if (facts.waited && connection.status !== 'AVAILABLE') {
    const lastCheck = facts.waited.lastCheckUnanswered ? ' (the last status check got no answer in time)' : '';
    return fail(
      `Connection ${name} is still ${connection.status} after waiting ${formatDuration(facts.waited.forMs)}${lastCheck}. ` +
        `Complete the handshake at ${handshakeUrl(region)} and re-run the job.`,
      next,
    );
  }
  const notice =
    connection.status === 'PENDING_HANDSHAKE'
      ? {
          title: 'App Runner connection needs a handshake',
          text: `Connection ${name} is waiting for its handshake: complete it in the App Runner console, ${handshakeUrl(region)}`,
        }
      : undefined;
  return { passed: true, failure: undefined, notice, next };
}

function statusStep(arn: string, status: string, region: string): NextStep {
  if (status === 'PENDING_HANDSHAKE') return { kind: 'handshake' };
  if (status === 'ERROR') return { kind: 'delete-and-rerun', command: deleteConnectionCommand(arn, region) };
  if (status === 'DELETED') return { kind: 'rerun' };
  return { kind: 'none' };
}
