// The functional core: find the connection of one exact name, reuse it or create it,
// converge its tags, and wait for its handshake. No @actions/* import lives here; the
// shell (main.ts) reports what this module returns. App Runner's answers are read only
// through aws-answers.ts.

import {
  type AppRunnerClient,
  CreateConnectionCommand,
  InvalidRequestException,
  ListTagsForResourceCommand,
  type ListConnectionsRequest,
  type ListConnectionsResponse,
  type ProviderType,
  ServiceQuotaExceededException,
  TagResourceCommand,
  paginateListConnections,
} from '@aws-sdk/client-apprunner';

import {
  type AccountConnection,
  type Connection,
  accountConnectionsPage,
  connectionsPage,
  createdConnection,
  resourceTags,
} from './aws-answers.js';
import { delay, untilAborted } from './deadline.js';
import { AwsCallError, MalformedAnswer, QuotaReached } from './errors.js';
import { PRODUCTION_LIMITS } from './limits.js';
import { type Tag, tagsToApply } from './tags.js';

export type { AccountConnection, Connection } from './aws-answers.js';

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

/** How far a lookup follows pages, and what aborts it. */
export interface LookupOptions {
  /** Aborts every request in flight: the run's deadline. */
  readonly signal?: AbortSignal;
  /** Pages of ListConnections followed before the answer counts as malformed. */
  readonly maxPages?: number;
}

export interface EnsureOptions extends LookupOptions {
  /** Called as soon as the connection is known, before tags are touched. */
  readonly onConnection?: (connection: Connection, created: boolean) => void;
  /** Pauses between lookups after a lost create race; tests pass a fast one. */
  readonly sleep?: (ms: number) => Promise<void>;
  /** The pauses between the lookups that follow a lost create race. */
  readonly racePausesMs?: readonly number[];
}

/** The App Runner calls the core makes; the real SDK client satisfies it. */
export type AppRunnerApi = Pick<AppRunnerClient, 'send' | 'config'>;

export async function ensureConnection(
  client: AppRunnerApi,
  request: EnsureRequest,
  options: EnsureOptions = {},
): Promise<EnsureResult> {
  const { signal, onConnection } = options;
  const existing = await findConnection(client, request, options);

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
    if (isQuotaRefusal(error)) throw await quotaReached(client, request.region, error, options);
    const raced = await findAfterLostRace(client, request, error, options);
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
  options: LookupOptions = {},
): Promise<Connection | undefined> {
  for await (const answer of listPages(client, { ConnectionName: key.name }, options)) {
    const page = connectionsPage(answer, key);
    if (page.match) return page.match;
  }
  return undefined;
}

/**
 * Every live connection of the account in the region, the likely leftovers of a quota first:
 * PENDING_HANDSHAKE and ERROR ones, then the rest, each group oldest first.
 */
export async function listAccountConnections(
  client: AppRunnerApi,
  region: string,
  options: LookupOptions = {},
): Promise<AccountConnection[]> {
  const connections: AccountConnection[] = [];
  for await (const answer of listPages(client, {}, options))
    connections.push(...accountConnectionsPage(answer, region).connections);
  const leftover = (connection: AccountConnection) =>
    ['PENDING_HANDSHAKE', 'ERROR'].includes(connection.status) ? 0 : 1;
  const age = (connection: AccountConnection) => connection.createdAt?.getTime() ?? Infinity;
  return connections.sort((a, b) => leftover(a) - leftover(b) || age(a) - age(b));
}

/**
 * The pages of one ListConnections, bounded: an endpoint that keeps sending new tokens (or the
 * same one) is not App Runner, and is not followed for ever.
 */
async function* listPages(
  client: AppRunnerApi,
  input: ListConnectionsRequest,
  { signal, maxPages = PRODUCTION_LIMITS.maxListPages }: LookupOptions,
): AsyncGenerator<ListConnectionsResponse> {
  const pages = paginateListConnections(
    // The paginator mutates its input, and a service that repeats a token must not loop forever.
    { client: client as AppRunnerClient, stopOnSameToken: true },
    { ...input },
    { abortSignal: signal },
  );
  const iterator = pages[Symbol.asyncIterator]();
  for (let read = 1; ; read += 1) {
    const next = await callAws('ListConnections', signal, () => iterator.next());
    if (next.done) return;
    yield next.value;
    if (read >= maxPages && next.value.NextToken) {
      throw new MalformedAnswer('ListConnections', 'NextToken', `is still set after ${maxPages} pages`);
    }
  }
}

function isQuotaRefusal(error: unknown): error is AwsCallError {
  return error instanceof AwsCallError && error.cause instanceof ServiceQuotaExceededException;
}

/** The refusal, with the account's connections in the region; the refusal alone if they cannot be listed. */
async function quotaReached(
  client: AppRunnerApi,
  region: string,
  refusal: AwsCallError,
  options: LookupOptions,
): Promise<AwsCallError | QuotaReached> {
  try {
    return new QuotaReached(refusal, await listAccountConnections(client, region, options));
  } catch {
    return refusal;
  }
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
  options: EnsureOptions,
): Promise<Connection> {
  if (!(createError instanceof AwsCallError && createError.cause instanceof InvalidRequestException)) {
    throw createError;
  }
  const { sleep = delay, racePausesMs = PRODUCTION_LIMITS.raceLookupPausesMs } = options;
  for (const pause of [0, ...racePausesMs]) {
    if (pause > 0) await sleep(pause);
    const found = await findConnection(client, key, options);
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

export interface WaitOptions extends LookupOptions {
  readonly timeoutMs: number;
  readonly intervalMs: number;
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
      seen = await findConnection(client, key, options);
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
