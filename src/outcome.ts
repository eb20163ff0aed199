// What a run found out (the report), and what follows from it: pass or fail, the next step for a person, the outputs.

import type { Problem } from './errors.js';
import { type Connection, type ProviderType, type ProxyRoute, type Tag, handshakeUrl } from './model.js';
import type { Prose } from './text.js';

export interface Report {
  readonly name: string;
  readonly providerType: ProviderType;
  readonly region?: string;
  readonly dryRun: boolean;
  /** The repository the workflow runs in (GITHUB_REPOSITORY), which the connector app must see. */
  readonly repository?: string;
  readonly maskAccountId: boolean;
  readonly connection?: Connection;
  readonly created: boolean;
  /** The tags input, which a create uses; and those this run applied to a reused one (or would, in a dry run). */
  readonly tags: readonly Tag[];
  readonly tagChanges: readonly Tag[];
  /** Set when the run waits for the handshake; `end` says why the wait ended. */
  readonly waited?: {
    readonly forMs: number;
    readonly startedAt: number;
    readonly endedAt?: number;
    readonly end?: 'status' | 'timeout' | 'unanswered' | 'credentials';
  };
  readonly endpoint?: string;
  readonly proxy?: ProxyRoute;
  readonly problem?: Problem;
  readonly at: number;
}

/** The report with its outcome: what the shell, the summary and the comment show (never the secrets in it). */
export interface StepReport extends Report {
  readonly outcome: Outcome;
  readonly secrets: readonly string[];
}

export interface Outcome {
  readonly passed: boolean;
  readonly next: 'handshake' | 'recover-error' | 'rerun' | 'would-create' | 'free-quota' | 'none';
}

export function decideOutcome({ connection, problem, waited }: Report): Outcome {
  if (problem?.kind === 'quota') return { passed: false, next: 'free-quota' };
  if (!connection) return { passed: !problem, next: problem ? 'none' : 'would-create' };
  const next = NEXT_STEP[connection.status];
  const waitedInVain = waited?.end !== undefined && connection.status !== 'AVAILABLE';
  return { passed: !problem && !waitedInVain && (next === 'handshake' || next === 'none'), next };
}

const NEXT_STEP = {
  PENDING_HANDSHAKE: 'handshake',
  ERROR: 'recover-error',
  DELETED: 'rerun',
  AVAILABLE: 'none',
} as const;

/** The step's outputs as the report knows them; a dry run that found nothing knows what it would create. */
export function outputs({ connection, created, name, providerType, region = '' }: Report) {
  const known = {
    'connection-arn': connection?.arn,
    'connection-name': name,
    'connection-status': connection?.status,
    'provider-type': connection?.providerType ?? providerType,
    created: String(created),
    'handshake-url': handshakeUrl(region),
  };
  return Object.entries(known).filter((output): output is [OutputName, string] => output[1] !== undefined);
}

export type OutputName =
  'connection-arn' | 'connection-name' | 'connection-status' | 'provider-type' | 'created' | 'handshake-url';

export interface StepLog {
  info(text: Prose): void;
  debug(text: Prose): void;
  warning(text: Prose | string): void;
  secret(value: string): void;
  output(name: OutputName, value: string): void;
}
