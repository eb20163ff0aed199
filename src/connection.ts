// The functional core: find the connection of one exact name, reuse it or create it,
// converge its tags, and wait for its handshake. No @actions/* import lives here; the
// shell (main.ts) reports what this module returns. App Runner's answers are read only
// through aws-answers.ts.

import {
  type AppRunnerClient,
  CreateConnectionCommand,
  InvalidRequestException,
  ListTagsForResourceCommand,
  type ProviderType,
  TagResourceCommand,
  paginateListConnections,
} from '@aws-sdk/client-apprunner';

import { type Connection, connectionsPage, createdConnection, resourceTags } from './aws-answers.js';
import { delay, untilAborted } from './deadline.js';
import { AwsCallError, MalformedAnswer } from './errors.js';
import { type Tag, tagsToApply } from './tags.js';

export type { Connection } from './aws-answers.js';

/** Which connection: a name, in a region (every ARN App Runner answers with must be of it). */
export interface ConnectionKey {
  readonly name: string;
  readonly region: string;
}

export interface EnsureRequest extends ConnectionKey {
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
// With the name filter App Runner answers in one page; an endpoint that keeps sending
// new tokens is not App Runner, and is not followed for ever.
const MAX_LIST_PAGES = 20;

export async function ensureConnection(
  client: AppRunnerApi,
  request: EnsureRequest,
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const { signal, onConnection, sleep = delay } = options;
  const existing = await findConnection(client, request, signal);

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
    const raced = await findAfterLostRace(client, request, error, sleep, signal);
    onConnection?.(raced, false);
    return reuse(client, raced, request, signal);
  }
  onConnection?.(created, true);
  return { connection: created, created: true, tagChanges: [], dryRun: false };
}

/**
 * The live connection named exactly `key.name`, or undefined. The service's name filter
 * is not trusted to be exact, so names are compared here; DELETED ones count as absent.
 */
export async function findConnection(
  client: AppRunnerApi,
  key: ConnectionKey,
  signal?: AbortSignal,
): Promise<Connection | undefined> {
  return callAws('ListConnections', signal, async () => {
    const pages = paginateListConnections(
      // The paginator mutates its input, and a service that repeats a token must not loop forever.
      { client: client as AppRunnerClient, stopOnSameToken: true },
      { ConnectionName: key.name },
      { abortSignal: signal },
    );
    let read = 0;
    for await (const answer of pages) {
      const page = connectionsPage(answer, key);
      if (page.match) return page.match;
      read += 1;
      if (read >= MAX_LIST_PAGES && page.nextToken) {
        throw new MalformedAnswer('ListConnections', 'NextToken', `is still set after ${MAX_LIST_PAGES} pages`);
      }
    }
    return undefined;
  });
}

async function createConnection(
  client: AppRunnerApi,
  request: EnsureRequest,
  signal?: AbortSignal,
): Promise<Connection> {
  const answer = await callAws('CreateConnection', signal, () =>
    client.send(
      new CreateConnectionCommand({
        ConnectionName: request.name,
        ProviderType: request.providerType,
        ...(request.tags.length > 0 && { Tags: request.tags.map(({ key, value }) => ({ Key: key, Value: value })) }),
      }),
      { abortSignal: signal },
    ),
  );
  return createdConnection(answer, request);
}

/**
 * App Runner does not document the error for a name that is already taken; it is an
 * InvalidRequestException. When the name turns out to be taken (by a concurrent run),
 * that connection is the answer; otherwise the create's own error stands.
 */
async function findAfterLostRace(
  client: AppRunnerApi,
  key: ConnectionKey,
  createError: unknown,
  sleep: (ms: number) => Promise<void>,
  signal?: AbortSignal,
): Promise<Connection> {
  if (!(createError instanceof AwsCallError && createError.cause instanceof InvalidRequestException)) {
    throw createError;
  }
  for (const pause of [0, ...RACE_LOOKUP_PAUSES_MS]) {
    if (pause > 0) await sleep(pause);
    const found = await findConnection(client, key, signal);
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

  const answer = await callAws('ListTagsForResource', signal, () =>
    client.send(new ListTagsForResourceCommand({ ResourceArn: connection.arn }), { abortSignal: signal }),
  );
  const changes = tagsToApply(request.tags, resourceTags(answer));

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

export interface WaitOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
  /** Ends the wait at once, even in the middle of a status check that stalls. */
  readonly signal?: AbortSignal;
  /** Each status check's result; another ARN means the connection was replaced meanwhile. */
  readonly onPoll?: (connection: Connection, elapsedMs: number) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export interface WaitResult {
  /** The connection as last seen: AVAILABLE, or what it was when the wait ended. */
  readonly connection: Connection;
  /** True when `signal` cut the wait short before its last status check answered. */
  readonly unanswered: boolean;
}

/**
 * Checks the status every `intervalMs` while it is PENDING_HANDSHAKE, and once more when
 * `timeoutMs` is up, however short the wait. Any other status ends the wait at once; the
 * caller decides what the outcome means (only AVAILABLE is success).
 */
export async function waitForAvailable(
  client: AppRunnerApi,
  connection: Connection,
  key: ConnectionKey,
  options: WaitOptions,
): Promise<WaitResult> {
  const { timeoutMs, intervalMs, signal, onPoll, sleep = delay, now = Date.now } = options;
  const started = now();
  let current = connection;
  while (current.status === 'PENDING_HANDSHAKE') {
    const remaining = Math.max(0, timeoutMs - (now() - started));
    const lastCheck = remaining <= intervalMs;
    await sleep(Math.min(intervalMs, remaining));
    let seen: Connection | undefined;
    try {
      if (signal?.aborted) throw signal.reason;
      seen = await findConnection(client, key, signal);
    } catch (error) {
      if (signal?.aborted) return { connection: current, unanswered: true };
      throw error;
    }
    current = seen ?? { ...current, status: 'DELETED' };
    onPoll?.(current, now() - started);
    if (lastCheck) break;
  }
  return { connection: current, unanswered: false };
}

/** Runs one call; the deadline's abort ends it at once, even in the middle of a retry pause. */
async function callAws<T>(operation: string, signal: AbortSignal | undefined, call: () => Promise<T>): Promise<T> {
  try {
    return await untilAborted(call(), signal);
  } catch (error) {
    if (error instanceof MalformedAnswer) throw error;
    throw new AwsCallError(operation, signal?.aborted ? signal.reason : error);
  }
}
