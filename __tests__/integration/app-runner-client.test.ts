// The action's App Runner client (src/aws-client.ts) and the core's lookup, with the real AWS SDK over
// HTTP against the local endpoint: pages, the user agent, fault retries, throttling as a queue (scripted
// counts and a clock driven by the requests, never jitter), the body cap, what the session reports.

import { describe, expect, it, onTestFinished, vi } from 'vitest';

import {
  type LocalAppRunner,
  type LocalAppRunnerOptions,
  startLocalAppRunner,
} from '../../local/apprunner-endpoint.js';
import { type AppRunnerSession, type ClientOptions, createAppRunner } from '../../src/aws-client.js';
import { findOrCreate } from '../../src/connection.js';
import { CallError, ResponseTooLarge, classifyError } from '../../src/errors.js';
import type { Limits } from '../../src/model.js';
import { ACTION_NAME, ACTION_VERSION } from '../../src/version.js';
import { type HostileFront, appRunnerBehindFront } from '../support/hostile-front.js';
import { TEST_LIMITS } from '../support/in-process.js';

const REGION = 'us-east-1';
const NAME = 'client-conn';

async function endpointFor(options: LocalAppRunnerOptions = {}): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner({ region: REGION, ...options });
  onTestFinished(() => server.close());
  return server;
}

interface SessionOptions extends Partial<Pick<ClientOptions, 'env' | 'now' | 'onThrottled'>> {
  readonly limits?: Partial<Limits>;
}

/** The action's client of `url`, with TEST_LIMITS (backoff in milliseconds) under `limits`. */
function sessionOf(url: string, options: SessionOptions = {}): AppRunnerSession {
  const session = createAppRunner({
    region: REGION,
    endpoint: url,
    env: options.env ?? {},
    limits: { ...TEST_LIMITS, ...options.limits },
    now: options.now ?? Date.now,
    onThrottled: options.onThrottled ?? (() => undefined),
  });
  onTestFinished(() => session.destroy());
  return session;
}

const ensure = (session: AppRunnerSession) =>
  findOrCreate(
    session,
    { name: NAME, providerType: 'GITHUB', tags: [], dryRun: false },
    { signal: new AbortController().signal, racePausesMs: TEST_LIMITS.raceLookupPausesMs },
  );

const failureOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => expect.unreachable('the call succeeded'),
    (error: unknown) => error,
  );

/** What the endpoint answered each request, in order: `ThrottlingException`, `InternalServiceErrorException`, `200`. */
const answers = (server: LocalAppRunner) => server.calls.map((call) => call.errorType ?? String(call.status));
const times = (count: number, answer: string) => Array<string>(count).fill(answer);

/** ListConnections answered with no connection and `token()` as its NextToken, for ever. */
const pagesWithToken = (front: HostileFront, token: () => string) => {
  const body = () => ({ ConnectionSummaryList: [], NextToken: token() });
  front.misbehave(
    'ListConnections',
    { kind: 'edit', edit: (answer) => ({ ...answer, status: 200, body: body() }) },
    Infinity,
  );
};

describe('a lookup finds the exact name through loose filters and pages, and stops where a token never ends', () => {
  it('finds the exact name on the third page of a prefix filter that pages one connection at a time', async () => {
    const server = await endpointFor({ pageSize: 1, prefixNameFilter: true });
    server.seedConnection({ name: `${NAME}-a` });
    server.seedConnection({ name: `${NAME}-b` });
    const arn = server.seedConnection({ name: NAME, status: 'AVAILABLE' });

    const found = await sessionOf(server.url).findConnection(NAME);

    expect(found).toEqual({ name: NAME, arn, providerType: 'GITHUB', status: 'AVAILABLE' });
    expect(server.count('ListConnections')).toBe(3);
  });

  it('creates its own connection when the filter answers only longer names and DELETED ones', async () => {
    const server = await endpointFor({ prefixNameFilter: true });
    const longer = server.seedConnection({ name: `${NAME}-old`, status: 'AVAILABLE' });
    const deleted = server.seedConnection({ name: NAME, status: 'DELETED' });

    const { connection, created } = await ensure(sessionOf(server.url));

    expect(created).toBe(true);
    expect([longer, deleted]).not.toContain(connection?.arn);
    expect(server.connections().at(-1)).toMatchObject({ name: NAME, arn: connection?.arn });
  });

  it('stops at a NextToken repeated for ever, the name not found', async () => {
    const { front } = await appRunnerBehindFront({ onTestFinished }, REGION);
    pagesWithToken(front, () => 'same');

    expect(await sessionOf(front.url).findConnection(NAME)).toBeUndefined();
    expect(front.requests).toHaveLength(2);
  });
});

describe('every call names the action in its user agent', () => {
  it('sends apprunner-connection-action and its version with each request', async () => {
    const server = await endpointFor();

    await ensure(sessionOf(server.url));

    expect(server.calls).toHaveLength(2);
    for (const call of server.calls) expect(call.userAgent).toContain(`${ACTION_NAME}/${ACTION_VERSION}`);
  });
});

describe('faults get the action’s attempts (10, or AWS_MAX_ATTEMPTS) with the SDK’s backoff', () => {
  it.for([
    { env: {}, attempts: 10 },
    { env: { AWS_MAX_ATTEMPTS: '4' }, attempts: 4 },
    { env: { AWS_MAX_ATTEMPTS: ' 1 ' }, attempts: 1 },
  ])(
    'fails on a persistent 500 after $attempts attempts with AWS_MAX_ATTEMPTS $env.AWS_MAX_ATTEMPTS',
    async ({ env, attempts }) => {
      const server = await endpointFor();
      server.injectFault({ operation: 'ListConnections', times: Infinity });

      const error = await failureOf(sessionOf(server.url, { env }).findConnection(NAME));

      expect(classifyError(error)).toMatchObject({ kind: 'server-error', operation: 'ListConnections', status: 500 });
      expect(answers(server)).toEqual(times(attempts, 'InternalServiceErrorException'));
    },
  );

  it.for(['0', '-1', 'ten', '2.5', '1e400'])('refuses AWS_MAX_ATTEMPTS=%s before any call', (value) => {
    const problem = { kind: 'bad-max-attempts', value };
    expect(() => sessionOf('http://127.0.0.1:9', { env: { AWS_MAX_ATTEMPTS: value } })).toThrow(
      expect.objectContaining({ problem }),
    );
  });

  it('survives a request that hangs past the request timeout, and keeps it as the last failed attempt', async () => {
    const server = await endpointFor();
    server.injectFault({ operation: 'ListConnections', hang: true });
    const session = sessionOf(server.url, { limits: { requestTimeoutMs: 300 } });

    const { created } = await ensure(session);

    expect(created).toBe(true);
    expect(server.calls.map((call) => [call.operation, call.attempt, call.status])).toEqual([
      ['ListConnections', 1, null],
      ['ListConnections', 2, 200],
      ['CreateConnection', 1, 200],
    ]);
    expect(session.failureContext().lastAttempt).toMatchObject({ name: 'TimeoutError' });
  });
});

describe('throttling is a queue: a throttled attempt does not count, up to the throttling budget', () => {
  // Twelve is past the action's 10 attempts and the SDK's default of 3: only a queue gets through.
  const THROTTLES = 12;

  it(`gets through a call throttled ${THROTTLES} times, where as many 500s end it after 10 attempts`, async () => {
    const server = await endpointFor();
    const session = sessionOf(server.url);
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: THROTTLES });

    expect(await ensure(session)).toMatchObject({ created: true });
    expect(answers(server)).toEqual([...times(THROTTLES, 'ThrottlingException'), '200', '200']);

    server.reset();
    server.injectFault({ operation: 'ListConnections', times: THROTTLES });
    expect(await failureOf(ensure(session))).toBeInstanceOf(CallError);
    expect(answers(server)).toEqual(times(10, 'InternalServiceErrorException'));
  });

  it('counts throttled attempts under AWS_RETRY_MODE, the SDK’s own strategy: AWS_MAX_ATTEMPTS=3 ends the same call', async () => {
    // The SDK's own throttling backoff starts at 500 ms: pinned low, its two pauses take milliseconds.
    vi.spyOn(Math, 'random').mockReturnValue(0.01);
    onTestFinished(() => void vi.restoreAllMocks());
    const server = await endpointFor();
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: THROTTLES });
    const env = { AWS_RETRY_MODE: 'standard', AWS_MAX_ATTEMPTS: '3' };

    const error = await failureOf(sessionOf(server.url, { env }).findConnection(NAME));

    expect(classifyError(error)).toMatchObject({ kind: 'throttled', operation: 'ListConnections', attempts: 3 });
    expect(answers(server)).toEqual(times(3, 'ThrottlingException'));
  });

  it('judges a call throttled and then faulty by the fault’s attempts alone', async () => {
    const server = await endpointFor();
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: 5 });
    server.injectFault({ operation: 'ListConnections', times: Infinity });

    const error = await failureOf(sessionOf(server.url, { env: { AWS_MAX_ATTEMPTS: '3' } }).findConnection(NAME));

    expect(classifyError(error)).toMatchObject({ kind: 'server-error', status: 500 });
    expect(answers(server)).toEqual([...times(5, 'ThrottlingException'), ...times(3, 'InternalServiceErrorException')]);
  });

  // A clock driven by the requests: each one the endpoint receives is a second later.
  const requestClock = (server: LocalAppRunner) => () => server.calls.length * 1000;

  it('ends a call App Runner throttles for ever at throttleBudgetMs, as throttled, with the time queued', async () => {
    const server = await endpointFor();
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: Infinity });
    const session = sessionOf(server.url, { now: requestClock(server), limits: { throttleBudgetMs: 5_000 } });

    const error = await failureOf(session.findConnection(NAME));

    // Queued 0 s at the first throttled response, 5 s at the sixth: the budget is spent.
    expect(answers(server)).toEqual(times(6, 'ThrottlingException'));
    expect(session.failureContext().queuedMs).toBe(5_000);
    expect(classifyError(error, session.failureContext())).toMatchObject({
      kind: 'throttled',
      queuedMs: 5_000,
    });
  });

  it('tells onThrottled of every throttled response, with a notice due each queueNoticeMs in the queue', async () => {
    const server = await endpointFor();
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: 10 });
    const told: [number, boolean][] = [];
    const session = sessionOf(server.url, {
      now: requestClock(server),
      limits: { queueNoticeMs: 3_000 },
      onThrottled: (queuedMs, noticeDue) => told.push([queuedMs, noticeDue]),
    });

    expect(await session.findConnection(NAME)).toBeUndefined();
    expect(told).toEqual(Array.from({ length: 10 }, (_, i) => [i * 1000, i > 0 && i % 3 === 0]));
  });
});

describe('the session caps bodies, and knows when the credentials expire, or that there are none', () => {
  it('stops reading a body past maxResponseBytes, as a response too large', async () => {
    const server = await endpointFor();
    for (let i = 0; i < 20; i += 1) server.seedConnection({ name: `${NAME}-${i}` });

    const error = await failureOf(sessionOf(server.url, { limits: { maxResponseBytes: 1_000 } }).listConnections());

    expect((error as CallError).cause).toBeInstanceOf(ResponseTooLarge);
    expect(classifyError(error)).toMatchObject({ kind: 'foreign-response', response: { what: 'too-large' } });
  });

  it('reads the credentials’ expiry from the SDK’s credential provider (AWS_CREDENTIAL_EXPIRATION beside the keys)', async () => {
    const expiry = '2030-01-02T03:04:05.000Z';
    const server = await endpointFor();
    const expiryOf = (value: string | undefined) => {
      // The SDK's environment provider reads process.env, as it does on a runner.
      vi.stubEnv('AWS_CREDENTIAL_EXPIRATION', value);
      return sessionOf(server.url).credentialsExpiry();
    };
    onTestFinished(() => void vi.unstubAllEnvs());

    expect(await expiryOf(expiry)).toEqual(new Date(expiry));
    expect(await expiryOf(undefined)).toBeUndefined();
    expect(await expiryOf('soon')).toBeUndefined();
  });

  it('sends nothing without credentials, and the failure is that none were found', async () => {
    const server = await endpointFor();
    // The SDK's credential chain reads process.env itself.
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_SHARED_CREDENTIALS_FILE', '/nonexistent/credentials');
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/config');
    onTestFinished(() => void vi.unstubAllEnvs());

    const error = await failureOf(sessionOf(server.url, { env: { AWS_MAX_ATTEMPTS: '1' } }).findConnection(NAME));

    expect(classifyError(error)).toMatchObject({ kind: 'no-credentials', operation: 'ListConnections' });
    expect(server.count()).toBe(0);
  });
});
