// The App Runner client and its narrow API: the Region, timeouts, user agent, body cap, proxy agents, throttling queue.

import {
  AppRunnerClient,
  CreateConnectionCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  paginateListConnections,
} from '@aws-sdk/client-apprunner';

import { accountConnections, createdConnection, matchingConnection, nextToken, resourceTags } from './aws-responses.js';
import { CallError, type ClassifyContext, ProblemError, malformedResponse } from './errors.js';
import type { Settings } from './inputs.js';
import { APP_RUNNER_REGIONS, REGION, configuredEndpoint } from './model.js';
import type { AccountConnection, Connection, Environment, Limits, Tag } from './model.js';
import type { CallRoute } from './proxy.js';
import { readCapped } from './response-body.js';
import { ACTION_NAME, ACTION_VERSION } from './version.js';

export type NewConnection = Pick<Connection, 'name' | 'providerType'> & { readonly tags: readonly Tag[] };

/** The App Runner calls of the core; a test may give a fake. Each rejects with a CallError or a ProblemError. */
export interface AppRunner {
  findConnection(name: string, signal?: AbortSignal): Promise<Connection | undefined>;
  listConnections(signal?: AbortSignal): Promise<AccountConnection[]>;
  createConnection(request: NewConnection, signal?: AbortSignal): Promise<Connection>;
  listTags(arn: string, signal?: AbortSignal): Promise<Map<string, string>>;
  tagResource(arn: string, tags: readonly Tag[], signal?: AbortSignal): Promise<void>;
}

export interface AppRunnerSession extends AppRunner {
  /** What explains a failed call: the proxy, the last attempt's error (what a deadline hid), the longest queue. */
  failureContext(): ClassifyContext;
  credentialsExpiry(): Promise<Date | undefined>;
  destroy(): void;
}

export interface ClientOptions extends Pick<CallRoute, 'endpoint' | 'agents' | 'proxy'> {
  readonly region: string;
  readonly env: Environment;
  readonly limits: Limits;
  readonly now: () => number;
  /** Called on every throttled response, with how long the call has been queued, and whether to say so now. */
  readonly onThrottled: (queuedMs: number, noticeDue: boolean) => void;
}

/** The Region of a run: the inputs', else the AWS configuration's; one App Runner runs in, unless an endpoint is set. */
export async function resolveRegion(
  settings: Settings,
  env: Environment,
  configuredRegion: () => Promise<string | undefined> = sdkConfiguredRegion,
): Promise<string> {
  const region = settings.region ?? (await configuredRegion());
  if (!region) throw new ProblemError({ kind: 'no-region' });
  if (!REGION.test(region)) throw new ProblemError({ kind: 'bad-configured-region', region });
  if (!APP_RUNNER_REGIONS.includes(region) && !configuredEndpoint(env)) {
    throw new ProblemError({ kind: 'unsupported-region', region, source: settings.regionSource });
  }
  return region;
}

/** The Region the SDK finds in the AWS configuration (the `region` of AWS_PROFILE's profile). */
async function sdkConfiguredRegion(): Promise<string | undefined> {
  const client = new AppRunnerClient({});
  try {
    return await client.config.region();
  } catch {
    return undefined;
  } finally {
    client.destroy();
  }
}

export function createAppRunner(options: ClientOptions): AppRunnerSession {
  const { region, endpoint, env, limits } = options;
  const maxAttempts = maxAttemptsFrom(env) ?? limits.maxAttempts;
  const queue = queueingRetryStrategy(maxAttempts, options);
  const retryMode = env['AWS_RETRY_MODE'];
  const client = new AppRunnerClient({
    region,
    ...(endpoint && { endpoint }),
    // AWS_RETRY_MODE hands the retries to the SDK's own strategy in that mode.
    ...(retryMode ? { retryMode, maxAttempts } : { retryStrategy: queue.strategy }),
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without this a request past requestTimeout is only logged, never failed.
      throwOnRequestTimeout: true,
      ...options.agents,
    },
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]],
  });
  let lastAttemptError: unknown;
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        // An abort is the deadline speaking; the attempt before it says why time ran out.
        if ((error as Error | undefined)?.name !== 'AbortError') lastAttemptError = error;
        throw error;
      }
    },
    // Outside the deserializer, inside the retries: it sees every attempt's error, AWS's own included.
    { step: 'deserialize', name: 'recordLastAttemptError', priority: 'high' },
  );
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as { headers?: Record<string, string>; body?: unknown };
      if (!isStream(response.body)) return result;
      try {
        response.body = await readCapped(response.body, limits.maxResponseBytes, response.headers?.['content-length']);
      } catch (error) {
        // Kept hidden, as the SDK keeps the response on the errors it throws.
        throw Object.defineProperty(error as object, '$response', { value: response });
      }
      return result;
    },
    // Inside the deserializer: the raw body, before it is parsed.
    { step: 'deserialize', name: 'capResponseBody', priority: 'low' },
  );
  const call = async <T>(operation: string, signal: AbortSignal | undefined, send: () => Promise<T>): Promise<T> => {
    try {
      return await send();
    } catch (error) {
      if (error instanceof ProblemError) throw error;
      // An aborted call ends with the SDK's AbortError: the deadline's reason says what happened.
      throw new CallError(operation, signal?.aborted ? signal.reason : error);
    }
  };
  /** The pages of one ListConnections: a token repeated, or one page too many, ends them. */
  async function* pages(name: string | undefined, signal?: AbortSignal) {
    // A fresh input each time: the paginator mutates it.
    const input = name === undefined ? {} : { ConnectionName: name };
    const paginator = paginateListConnections({ client, stopOnSameToken: true }, input, { abortSignal: signal });
    let read = 0;
    for await (const page of paginator) {
      yield page;
      read += 1;
      if (read >= limits.maxListPages && nextToken(page)) {
        throw malformedResponse('ListConnections', 'NextToken', `is still set after ${read} pages`);
      }
    }
  }
  return {
    findConnection: (name, signal) =>
      call('ListConnections', signal, async () => {
        for await (const page of pages(name, signal)) {
          const match = matchingConnection(page, { name, region });
          if (match) return match;
        }
        return undefined;
      }),
    listConnections: (signal) =>
      call('ListConnections', signal, async () => {
        const connections: AccountConnection[] = [];
        for await (const page of pages(undefined, signal)) connections.push(...accountConnections(page, region));
        return connections;
      }),
    createConnection: ({ name, providerType, tags }, signal) =>
      call('CreateConnection', signal, async () => {
        const input = {
          ConnectionName: name,
          ProviderType: providerType,
          ...(tags.length > 0 && { Tags: awsTags(tags) }),
        };
        const response = await client.send(new CreateConnectionCommand(input), { abortSignal: signal });
        return createdConnection(response, { name, region, providerType });
      }),
    listTags: (arn, signal) =>
      call('ListTagsForResource', signal, async () =>
        resourceTags(await client.send(new ListTagsForResourceCommand({ ResourceArn: arn }), { abortSignal: signal })),
      ),
    tagResource: (arn, tags, signal) =>
      call('TagResource', signal, async () => {
        await client.send(new TagResourceCommand({ ResourceArn: arn, Tags: awsTags(tags) }), { abortSignal: signal });
      }),
    failureContext: () => ({ proxy: options.proxy, lastAttempt: lastAttemptError, queuedMs: queue.longestMs() }),
    async credentialsExpiry() {
      // The SDK's environment provider reads AWS_CREDENTIAL_EXPIRATION; an unreadable expiry is none.
      const { expiration } = await client.config.credentials().catch(() => ({ expiration: undefined }));
      return expiration && !Number.isNaN(expiration.getTime()) ? expiration : undefined;
    },
    destroy: () => client.destroy(),
  };
}

const isStream = (body: unknown): body is AsyncIterable<Uint8Array> =>
  typeof (body as AsyncIterable<Uint8Array> | undefined)?.[Symbol.asyncIterator] === 'function';

const awsTags = (tags: readonly Tag[]) => tags.map(({ key, value }) => ({ Key: key, Value: value }));

// The SDK's standard retries, but a throttled attempt does not count: the call keeps its place in App Runner's queue.
function queueingRetryStrategy(maxAttempts: number, { limits, now, onThrottled }: ClientOptions) {
  const first = { retries: 0, faults: 0, queuedSince: undefined as number | undefined, notices: 0, delay: 0 };
  const token = (fields: typeof first) => ({
    ...fields,
    getRetryCount: () => fields.retries,
    getRetryDelay: () => fields.delay,
  });
  let longestMs = 0;
  const strategy = {
    mode: 'standard',
    acquireInitialRetryToken: async () => token(first),
    async refreshRetryTokenForRetry(last: ReturnType<typeof token>, { errorType }: { errorType: string }) {
      const throttled = errorType === 'THROTTLING';
      const faults = last.faults + (throttled ? 0 : 1);
      const queuedSince = throttled ? (last.queuedSince ?? now()) : last.queuedSince;
      const queuedMs = queuedSince === undefined ? 0 : now() - queuedSince;
      const notices = throttled ? Math.floor(queuedMs / limits.queueNoticeMs) : last.notices;
      if (throttled) {
        longestMs = Math.max(longestMs, queuedMs);
        onThrottled(queuedMs, notices > last.notices);
      }
      const retryable = throttled || errorType === 'TRANSIENT';
      if (!retryable || faults >= maxAttempts || (throttled && queuedMs >= limits.throttleBudgetMs)) {
        throw new Error('No retry token available');
      }
      const base = throttled ? limits.throttleRetryBaseMs : limits.retryBaseMs;
      const delay = Math.floor(Math.random() * Math.min(base * 2 ** last.retries, limits.maxRetryDelayMs));
      return token({ retries: last.retries + 1, faults, queuedSince, notices, delay });
    },
    recordSuccess: () => undefined,
  };
  return { strategy, longestMs: () => longestMs };
}

/** AWS_MAX_ATTEMPTS, which overrides the action's attempts as it overrides the SDK's. */
function maxAttemptsFrom(env: Environment): number | undefined {
  const raw = env['AWS_MAX_ATTEMPTS']?.trim();
  if (!raw) return undefined;
  const attempts = Number(raw);
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new ProblemError({ kind: 'bad-max-attempts', value: raw });
  return attempts;
}
