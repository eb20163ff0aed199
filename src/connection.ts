// The core: find or create the connection, converge its tags, check its status while it waits; over the narrow API.

import { setTimeout as sleep } from 'node:timers/promises';

import type { AppRunner, NewConnection } from './aws-client.js';
import { CallError, ProblemError, classifyError } from './errors.js';
import type { AccountConnection, Connection, Tag } from './model.js';

// A refused create may have lost a race (App Runner has no duplicate-name error): look again, as a listing may lag.
export async function findOrCreate(
  api: AppRunner,
  request: NewConnection & { readonly dryRun: boolean },
  { signal, racePausesMs }: { readonly signal: AbortSignal; readonly racePausesMs: readonly number[] },
): Promise<{ connection: Connection | undefined; created: boolean }> {
  const existing = await api.findConnection(request.name, signal);
  if (existing || request.dryRun) return { connection: existing, created: false };
  try {
    return { connection: await api.createConnection(request, signal), created: true };
  } catch (error) {
    if (!(error instanceof CallError) || signal.aborted) throw error;
    for (const pause of [0, ...racePausesMs]) {
      if (pause > 0) await sleep(pause, undefined, { signal }).catch(() => undefined);
      if (signal.aborted) throw new CallError('ListConnections', signal.reason); // the deadline, not the pause
      const raced = await api.findConnection(request.name, signal);
      if (raced) return { connection: raced, created: false };
    }
    const problem = classifyError(error);
    if (problem.kind !== 'quota') throw error;
    throw new ProblemError({ ...problem, connections: await holdersOfQuota(api, signal) });
  }
}

async function holdersOfQuota(api: AppRunner, signal: AbortSignal): Promise<AccountConnection[] | undefined> {
  const leftover = ({ status }: AccountConnection) => (status === 'PENDING_HANDSHAKE' || status === 'ERROR' ? 0 : 1);
  const age = ({ createdAt }: AccountConnection) => createdAt?.getTime() ?? Infinity;
  const connections = await api.listConnections(signal).catch(() => undefined); // unlisted, the refusal stands alone
  return connections?.sort((a, b) => leftover(a) - leftover(b) || age(a) - age(b));
}

/** Applies the tags the connection lacks or holds with another value (none in a dry run); never removes one. */
export async function convergeTags(
  api: AppRunner,
  connection: Connection,
  wanted: readonly Tag[],
  { dryRun, signal }: { readonly dryRun: boolean; readonly signal: AbortSignal },
): Promise<Tag[]> {
  if (wanted.length === 0) return [];
  const current = await api.listTags(connection.arn, signal);
  const changes = wanted.filter(({ key, value }) => current.get(key) !== value);
  if (changes.length > 0 && !dryRun) await api.tagResource(connection.arn, changes, signal);
  return changes;
}

/** Checks the status every `intervalMs` while PENDING_HANDSHAKE, and once more at `untilMs`, however short the wait. */
export async function* checkStatus(
  api: AppRunner,
  connection: Connection,
  options: Readonly<{ intervalMs: number; untilMs: number; now: () => number; signal: AbortSignal }>,
): AsyncGenerator<{ connection: Connection; elapsedMs: number }> {
  const { intervalMs, untilMs, now, signal } = options;
  const started = now();
  let current = connection;
  while (current.status === 'PENDING_HANDSHAKE') {
    const remaining = Math.max(0, untilMs - now());
    await sleep(Math.min(intervalMs, remaining), undefined, { signal });
    current = (await api.findConnection(current.name, signal)) ?? { ...current, status: 'DELETED' };
    yield { connection: current, elapsedMs: now() - started };
    if (remaining <= intervalMs) return;
  }
}
