// What a run found out, as plain data: the step (step.ts) builds it, outcome.ts judges it, and the
// shell, the job summary and the pull-request comment all read the same value.

import type { AccountConnection, Connection } from './aws-answers.js';
import type { ProviderType } from './inputs.js';
import type { Outcome } from './outcome.js';
import type { Tag } from './tags.js';

export interface StepFacts {
  readonly name: string;
  readonly providerType: ProviderType;
  /** Undefined when the run failed before it knew one. */
  readonly region: string | undefined;
  readonly dryRun: boolean;
  /** The repository the workflow runs in (GITHUB_REPOSITORY), which the connector app must see. */
  readonly repository: string | undefined;
  /** mask-aws-account-id: the summary and the comment show no account id. */
  readonly maskAccountId: boolean;
  /** Absent until the connection is known, and in a dry run that found none. */
  readonly connection: Connection | undefined;
  readonly created: boolean;
  /** Tags this run applied to a reused connection, or would apply in a dry run. */
  readonly tagChanges: readonly Tag[];
  /** Set when the run waited for the handshake. */
  readonly waited?: {
    readonly forMs: number;
    /** True when the last status check got no answer in time. */
    readonly lastCheckUnanswered: boolean;
  };
  /** What went wrong, worded for a person, when an error ended the run. */
  readonly error?: string;
  /** The account's connections in the region, when the connection quota refused the create. */
  readonly quota?: readonly AccountConnection[];
}

export interface StepReport extends StepFacts {
  readonly outcome: Outcome;
  /** Account ids registered as secrets (mask-aws-account-id), hidden wherever the report is shown. */
  readonly accountIds: readonly string[];
}
