// The action's real App Runner client (src/aws-client.ts) and core (src/connection.ts) against
// the local endpoint over HTTP: retries, attempt limits, the per-request timeout, the deadline,
// and what the failure message says. Limits in milliseconds (FAST_LIMITS), and the SDK's retry
// jitter pinned low, so no retry or timeout here waits seconds; the production limits themselves
// are waited out once, end to end (e2e/production-bounds.test.ts).

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { createAppRunnerClient, type ObservedClient } from '../../src/aws-client.js';
import { ensureConnection, type EnsureRequest } from '../../src/connection.js';
import { withDeadline } from '../../src/deadline.js';
import { AwsCallError, DeadlineExceeded } from '../../src/errors.js';
import { describeFailure } from '../../src/failure.js';
import { type Limits, PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';
import { FAST_LIMITS } from '../support/in-process.js';

const REGION = 'us-east-1';
const request: EnsureRequest = {
  name: 'retry-conn',
  region: REGION,
  providerType: 'GITHUB',
  tags: [],
  dryRun: false,
};
/** A deadline shorter than one request timeout: no attempt against a hanging endpoint ends before it. */
const DEADLINE_MS = FAST_LIMITS.requestTimeoutMs / 2;
/**
 * The SDK waits random x min(base x 2^retry, 20 s) between attempts (a base of up to a second
 * for throttling); pinned low, a retry waits milliseconds.
 */
const PINNED_JITTER = 0.01;

let server: LocalAppRunner;
const clients: ObservedClient[] = [];

/** The action's client, pointed at the local endpoint through the environment it is given. */
function actionClient(env: Record<string, string> = {}, limits: Limits = FAST_LIMITS): ObservedClient {
  const observed = createAppRunnerClient({
    region: REGION,
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, ...env },
    limits,
    routing: undefined,
  });
  clients.push(observed);
  return observed;
}

/** Attempt numbers the endpoint saw for one operation, in arrival order. */
const attemptsOf = (operation: string) =>
  server.calls.filter((call) => call.operation === operation).map((call) => call.attempt);

/** The error a promise rejects with; fails the test if it resolves. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure, but the call succeeded');
}

/** Runs ensureConnection under a deadline as the step does; what it threw, how long it took, and the message. */
async function underDeadline(ms: number) {
  const { client, lastAttemptError } = actionClient();
  const started = Date.now();
  const error = await rejectionOf(withDeadline(ms, (signal) => ensureConnection(client, request, { signal })));
  const elapsedMs = Date.now() - started;
  // Read exactly when the step reads it: in the catch, right after the core gave up.
  const message = describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() });
  return { error, elapsedMs, message };
}

beforeAll(async () => {
  server = await startLocalAppRunner({ region: REGION });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  vi.spyOn(Math, 'random').mockReturnValue(PINNED_JITTER);
});

afterEach(() => {
  vi.restoreAllMocks();
  for (const { client } of clients.splice(0)) client.destroy();
});

describe('throttling and 5xx are retried by the SDK retry strategy with the action attempts', () => {
  it('allows 10 attempts per call in production, more than the SDK default of 3', async () => {
    const { client } = actionClient({}, PRODUCTION_LIMITS);

    expect(PRODUCTION_LIMITS.maxAttempts).toBe(10);
    expect(await client.config.maxAttempts()).toBe(10);
  });

  it('retries a ListConnections throttled twice and creates the connection; the endpoint sees attempts 1, 2 and 3', async () => {
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: 2 });
    const { client } = actionClient();

    const result = await ensureConnection(client, request);

    expect(result.created).toBe(true);
    expect(result.connection?.arn).toBe(server.connections()[0]?.arn);
    expect(attemptsOf('ListConnections')).toEqual([1, 2, 3]);
    expect(server.calls.filter((call) => call.operation === 'ListConnections').map((call) => call.errorType)).toEqual([
      'ThrottlingException',
      'ThrottlingException',
      undefined,
    ]);
    expect(attemptsOf('CreateConnection')).toEqual([1]);
  });

  it('retries a CreateConnection answered 503 and creates exactly one connection', async () => {
    server.injectFault({ operation: 'CreateConnection', status: 503, times: 1 });
    const { client } = actionClient();

    const result = await ensureConnection(client, request);

    expect(result.created).toBe(true);
    expect(attemptsOf('CreateConnection')).toEqual([1, 2]);
    expect(server.connections()).toHaveLength(1);
  });
});

describe('AWS_MAX_ATTEMPTS and AWS_RETRY_MODE in the environment override the attempts and the mode', () => {
  it('with AWS_MAX_ATTEMPTS=2 makes exactly 2 attempts at a persistent 500, then fails naming the server error', async () => {
    server.injectFault({ operation: 'ListConnections', times: Infinity });
    const { client, lastAttemptError } = actionClient({ AWS_MAX_ATTEMPTS: '2' });

    const error = await rejectionOf(ensureConnection(client, request));

    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).operation).toBe('ListConnections');
    expect((error as AwsCallError).cause).toMatchObject({
      name: 'InternalServiceErrorException',
      $metadata: { httpStatusCode: 500, attempts: 2 },
    });
    expect(attemptsOf('ListConnections')).toEqual([1, 2]);
    expect(server.count()).toBe(2);
    const message = describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() });
    expect(message).toMatch(/server error \(500 InternalServiceErrorException\) after 2 attempts/);
    expect(message).toMatch(/re-run/);
  });

  it('with AWS_RETRY_MODE=adaptive uses the adaptive retry strategy, keeping the attempts of the limits', async () => {
    const { client } = actionClient({ AWS_RETRY_MODE: 'adaptive' });

    const strategy = (await client.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
    expect(await client.config.maxAttempts()).toBe(FAST_LIMITS.maxAttempts);
  });
});

describe('the per-request timeout and the deadline bound an endpoint that does not answer', () => {
  it('fails an attempt that hangs past the request timeout and retries it, so one hung request is survived', async () => {
    server.injectFault({ operation: 'ListConnections', hang: true, times: 1 });
    const { client, lastAttemptError } = actionClient();
    const started = Date.now();

    const result = await ensureConnection(client, request);

    const elapsedMs = Date.now() - started;
    expect(result.created).toBe(true);
    expect(attemptsOf('ListConnections')).toEqual([1, 2]);
    expect(lastAttemptError()).toMatchObject({ name: 'TimeoutError' });
    // One request timeout, and not a second one.
    expect(elapsedMs).toBeGreaterThanOrEqual(FAST_LIMITS.requestTimeoutMs);
    expect(elapsedMs).toBeLessThan(2 * FAST_LIMITS.requestTimeoutMs);
  });

  it('gives up on an endpoint that never answers at the deadline, with DeadlineExceeded as the cause', async () => {
    server.injectFault({ hang: true, times: Infinity });

    const { error, elapsedMs, message } = await underDeadline(DEADLINE_MS);

    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).operation).toBe('ListConnections');
    expect((error as AwsCallError).cause).toBeInstanceOf(DeadlineExceeded);
    expect(elapsedMs).toBeGreaterThanOrEqual(DEADLINE_MS);
    expect(elapsedMs).toBeLessThan(FAST_LIMITS.requestTimeoutMs);
    expect(message).toMatch(
      new RegExp(`did not complete ListConnections within ${formatBound(DEADLINE_MS)}, so the action gave up`),
    );
    expect(message).toMatch(/re-run the job/);
    // No attempt had ended when the deadline struck: the action's own abort is not "the last attempt".
    expect(message).not.toMatch(/AbortError|Request aborted|last attempt/);
  });

  it('names the last failed attempt in the deadline message when an attempt failed before the endpoint hung', async () => {
    server.injectFault({ operation: 'ListConnections', times: 1 });
    server.injectFault({ operation: 'ListConnections', hang: true, times: Infinity });

    const { error, elapsedMs, message } = await underDeadline(DEADLINE_MS);

    expect((error as AwsCallError).cause).toBeInstanceOf(DeadlineExceeded);
    expect(elapsedMs).toBeLessThan(FAST_LIMITS.requestTimeoutMs);
    expect(attemptsOf('ListConnections')).toEqual([1, 2]);
    expect(message).toMatch(
      /gave up\. The last attempt ended with: InternalServiceErrorException: An unexpected service exception occurred\./,
    );
  });
});

describe('lastAttemptError reports the last failed attempt, even one the retries hid', () => {
  it('is undefined while no attempt has failed', async () => {
    const { client, lastAttemptError } = actionClient();

    await ensureConnection(client, request);

    expect(lastAttemptError()).toBeUndefined();
  });

  it('reports the 503 that followed a throttle, after the call itself succeeded', async () => {
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: 1 });
    server.injectFault({ operation: 'ListConnections', status: 503, times: 1 });
    const { client, lastAttemptError } = actionClient();

    const result = await ensureConnection(client, request);

    expect(result.created).toBe(true);
    expect(attemptsOf('ListConnections')).toEqual([1, 2, 3]);
    expect(lastAttemptError()).toMatchObject({
      name: 'ServiceUnavailableException',
      $metadata: { httpStatusCode: 503 },
    });
  });

  it('reports a denied CreateConnection, which is not retried', async () => {
    server.denyOperation('CreateConnection');
    const { client, lastAttemptError } = actionClient();

    const error = await rejectionOf(ensureConnection(client, request));

    expect(attemptsOf('CreateConnection')).toEqual([1]);
    expect(lastAttemptError()).toMatchObject({ name: 'AccessDeniedException' });
    expect(describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() })).toMatch(
      /not allowed apprunner:CreateConnection/,
    );
  });
});
