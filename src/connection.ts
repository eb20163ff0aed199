// The functional core: find the connection of one exact name, reuse it or create it,
// converge its tags, and wait for its handshake. No @actions/* import lives here; the
// shell (main.ts) reports what this module returns.

import {
  type AppRunnerClient,
  type ConnectionSummary,
  CreateConnectionCommand,
  InvalidRequestException,
  ListTagsForResourceCommand,
  TagResourceCommand,
  paginateListConnections,
} from '@aws-sdk/client-apprunner';

import { AwsCallError } from './errors.js';
import type { ProviderType } from './inputs.js';
import { type Tag, tagsToApply } from './tags.js';

export type ConnectionStatus = 'PENDING_HANDSHAKE' | 'AVAILABLE' | 'ERROR' | 'DELETED';

export interface Connection {
  readonly name: string;
  readonly arn: string;
  readonly providerType: string;
  readonly status: ConnectionStatus;
}

export interface EnsureRequest {
  readonly name: string;
  readonly providerType: ProviderType;
  readonly tags: readonly Tag[];
  readonly dryRun: boolean;
}

export interface EnsureResult {
  /** Absent only in a dry run that found no connection. */
  readonly connection: Connection | undefined;
  readonly created: boolean;
  /** Tags this run applied to a reused connection, or would apply in a dry run. */
  readonly tagChanges: readonly Tag[];
  readonly dryRun: boolean;
}

export interface EnsureOptions {
  /** Aborts every request in flight: the shell's deadline. */
  readonly signal?: AbortSignal;
  /** Called as soon as the connection is known, before tags are touched. */
  readonly onConnection?: (connection: Connection, created: boolean) => void;
  /** Pauses between lookups after a lost create race; tests pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The App Runner calls the core makes; the real SDK client satisfies it. */
export type AppRunnerApi = Pick<AppRunnerClient, 'send' | 'config'>;

// After a create that failed because another run took the name, the listing may lag
// behind that run's create by a few seconds: look again at these pauses (6.5 s in all).
const RACE_LOOKUP_PAUSES_MS = [500, 1000, 2000, 3000];

export async function ensureConnection(
  client: AppRunnerApi,
  request: EnsureRequest,
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const { signal, onConnection, sleep = delay } = options;
  const existing = await findConnection(client, request.name, signal);

  if (existing) {
    onConnection?.(existing, false);
    return reuse(client, existing, request, signal);
  }
  if (request.dryRun) {
    return { connection: undefined, created: false, tagChanges: request.tags, dryRun: true };
  }

  let created: Connection;
  try {
    created = await createConnection(client, request, signal);
  } catch (error) {
    const raced = await findAfterLostRace(client, request.name, error, sleep, signal);
    onConnection?.(raced, false);
    return reuse(client, raced, request, signal);
  }
  onConnection?.(created, true);
  return { connection: created, created: true, tagChanges: [], dryRun: false };
}

/**
 * The connection named exactly `name`, or undefined. The service's name filter is
 * not trusted to be exact, so names are compared here; DELETED ones count as absent.
 */
export async function findConnection(
  client: AppRunnerApi,
  name: string,
  signal?: AbortSignal,
): Promise<Connection | undefined> {
  return callAws('ListConnections', signal, async () => {
    const pages = paginateListConnections(
      // The paginator mutates its input, and a service that repeats a token must not loop forever.
      { client: client as AppRunnerClient, stopOnSameToken: true },
      { ConnectionName: name },
      { abortSignal: signal },
    );
    for await (const page of pages) {
      const match = page.ConnectionSummaryList?.find(
        (summary) => summary.ConnectionName === name && summary.Status !== 'DELETED',
      );
      if (match) return toConnection(match);
    }
    return undefined;
  });
}

async function createConnection(
  client: AppRunnerApi,
  request: EnsureRequest,
  signal?: AbortSignal,
): Promise<Connection> {
  const output = await callAws('CreateConnection', signal, () =>
    client.send(
      new CreateConnectionCommand({
        ConnectionName: request.name,
        ProviderType: request.providerType,
        ...(request.tags.length > 0 && { Tags: request.tags.map(({ key, value }) => ({ Key: key, Value: value })) }),
      }),
      { abortSignal: signal },
    ),
  );
  if (!output.Connection) throw new Error('CreateConnection answered without a connection.');
  return toConnection(output.Connection);
}

/**
 * App Runner does not document the error for a name that is already taken; it is an
 * InvalidRequestException. When the name turns out to be taken (by a concurrent run),
 * that connection is the answer; otherwise the create's own error stands.
 */
async function findAfterLostRace(
  client: AppRunnerApi,
  name: string,
  createError: unknown,
  sleep: (ms: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<Connection> {
  if (!(createError instanceof AwsCallError && createError.cause instanceof InvalidRequestException)) {
    throw createError;
  }
  for (const pause of [0, ...RACE_LOOKUP_PAUSES_MS]) {
    if (pause > 0) await sleep(pause);
    const found = await findConnection(client, name, signal);
    if (found) return found;
  }
  throw createError;
}

async function reuse(
  client: AppRunnerApi,
  connection: Connection,
  request: EnsureRequest,
  signal?: AbortSignal,
): Promise<EnsureResult> {
  const result = { connection, created: false, dryRun: request.dryRun };
  if (request.tags.length === 0) return { ...result, tagChanges: [] };

  const current = await callAws('ListTagsForResource', signal, () =>
    client.send(new ListTagsForResourceCommand({ ResourceArn: connection.arn }), { abortSignal: signal }),
  );
  const currentTags = Object.fromEntries((current.Tags ?? []).map((tag) => [tag.Key ?? '', tag.Value ?? '']));
  const changes = tagsToApply(request.tags, currentTags);

  if (changes.length > 0 && !request.dryRun) {
    await callAws('TagResource', signal, () =>
      client.send(
        new TagResourceCommand({
          ResourceArn: connection.arn,
          Tags: changes.map(({ key, value }) => ({ Key: key, Value: value })),
        }),
        { abortSignal: signal },
      ),
    );
  }
  return { ...result, tagChanges: changes };
}

/**
 * Polls until the connection is AVAILABLE. Resolves with the last connection seen:
 * AVAILABLE, or whatever it was when time ran out (the caller decides what that means).
 * An ERROR or vanished connection ends the wait at once; so does `signal`, even in the
 * middle of a status check that stalls.
 */
export async function waitForAvailable(
  client: AppRunnerApi,
  connection: Connection,
  options: {
    readonly timeoutMs: number;
    readonly intervalMs: number;
    readonly signal?: AbortSignal;
    readonly onPoll?: (connection: Connection, elapsedMs: number) => void;
    readonly sleep?: (ms: number) => Promise<void>;
    readonly now?: () => number;
  },
): Promise<Connection> {
  const { timeoutMs, intervalMs, signal, onPoll, sleep = delay, now = Date.now } = options;
  const started = now();
  let current = connection;
  while (current.status === 'PENDING_HANDSHAKE' && !signal?.aborted) {
    const remaining = timeoutMs - (now() - started);
    if (remaining <= 0) break;
    await sleep(Math.min(intervalMs, remaining));
    let seen: Connection | undefined;
    try {
      seen = await findConnection(client, current.name, signal);
    } catch (error) {
      if (signal?.aborted) break;
      throw error;
    }
    current = seen ?? { ...current, status: 'DELETED' };
    onPoll?.(current, now() - started);
  }
  return current;
}

function toConnection(summary: ConnectionSummary): Connection {
  return {
    name: summary.ConnectionName ?? '',
    arn: summary.ConnectionArn ?? '',
    providerType: summary.ProviderType ?? '',
    status: (summary.Status ?? 'PENDING_HANDSHAKE') as ConnectionStatus,
  };
}

/** Runs one call; the deadline's abort ends it at once, even in the middle of a retry pause. */
async function callAws<T>(operation: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await untilAborted(call(), signal);
  } catch (error) {
    throw new AwsCallError(operation, signal?.aborted ? signal.reason : error);
  }
}

function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
