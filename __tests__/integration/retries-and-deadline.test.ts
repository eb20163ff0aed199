// The action's real App Runner client (src/aws-client.ts) and core (src/connection.ts)
// against the local endpoint over HTTP: retries, attempt limits, the deadline, and what
// the failure message says. No process is spawned; the SDK is the one the bundle ships.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { createAppRunnerClient, DEFAULT_MAX_ATTEMPTS, type ObservedClient } from '../../src/aws-client.js';
import { ensureConnection, type EnsureRequest } from '../../src/connection.js';
import { AwsCallError, DeadlineExceeded, describeFailure } from '../../src/errors.js';

const REGION = 'us-east-1';
const request: EnsureRequest = {
  name: 'retry-conn',
  region: 'us-east-1',
  providerType: 'GITHUB',
  tags: [],
  dryRun: false,
};

// Variables these tests set; each test starts without them and they are restored afterwards.
const TOUCHED_ENV = ['AWS_ENDPOINT_URL_APPRUNNER', 'AWS_MAX_ATTEMPTS', 'AWS_RETRY_MODE'] as const;
const savedEnv = Object.fromEntries(TOUCHED_ENV.map((name) => [name, process.env[name]]));

let server: LocalAppRunner;
const clients: ObservedClient[] = [];

/** The action's client, pointed at the local endpoint the way the action finds it: through the environment. */
function actionClient(): ObservedClient {
  const observed = createAppRunnerClient(REGION);
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

/** Runs ensureConnection under a deadline as main.ts does; returns what it threw, how long it took, and the message. */
async function underDeadline(ms: number) {
  const { client, lastAttemptError } = actionClient();
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new DeadlineExceeded(ms)), ms);
  const started = Date.now();
  try {
    const error = await rejectionOf(ensureConnection(client, request, { signal: deadline.signal }));
    const elapsedMs = Date.now() - started;
    // Read exactly when main.ts reads it: in the catch, right after the core gave up.
    const message = describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() });
    return { error, elapsedMs, message };
  } finally {
    clearTimeout(timer);
  }
}

beforeAll(async () => {
  server = await startLocalAppRunner({ region: REGION });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.reset();
  for (const name of TOUCHED_ENV) delete process.env[name];
  process.env['AWS_ENDPOINT_URL_APPRUNNER'] = server.url;
});

afterEach(() => {
  for (const { client } of clients.splice(0)) client.destroy();
  for (const name of TOUCHED_ENV) {
    const value = savedEnv[name];
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

describe('throttling and 5xx are retried by the SDK retry strategy with the action attempts', () => {
  it('allows 10 attempts per call by default, more than the SDK default of 3', async () => {
    const { client } = actionClient();

    expect(DEFAULT_MAX_ATTEMPTS).toBe(10);
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

describe('AWS_MAX_ATTEMPTS and AWS_RETRY_MODE override the attempts and the mode', () => {
  it('with AWS_MAX_ATTEMPTS=2 makes exactly 2 attempts at a persistent 500, then fails naming the server error', async () => {
    process.env['AWS_MAX_ATTEMPTS'] = '2';
    server.injectFault({ operation: 'ListConnections', times: Infinity });
    const { client, lastAttemptError } = actionClient();

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

  it('with AWS_RETRY_MODE=adaptive uses the adaptive retry strategy, keeping 10 attempts', async () => {
    process.env['AWS_RETRY_MODE'] = 'adaptive';
    const { client } = actionClient();

    const strategy = (await client.config.retryStrategy()) as { mode?: string };
    expect(strategy.mode).toBe('adaptive');
    expect(await client.config.maxAttempts()).toBe(10);
  });
});

describe('the per-request timeout and the deadline bound an endpoint that does not answer', () => {
  it('fails an attempt that hangs past the 5 s request timeout and retries it, so one hung request is survived', async () => {
    server.injectFault({ operation: 'ListConnections', hang: true, times: 1 });
    const { client, lastAttemptError } = actionClient();
    const started = Date.now();

    const result = await ensureConnection(client, request);

    const elapsedMs = Date.now() - started;
    expect(result.created).toBe(true);
    expect(attemptsOf('ListConnections')).toEqual([1, 2]);
    expect(elapsedMs).toBeGreaterThanOrEqual(4_500);
    expect(elapsedMs).toBeLessThan(9_000);
    expect(lastAttemptError()).toMatchObject({ name: 'TimeoutError' });
  }, 20_000);

  it('gives up on an endpoint that never answers at a 2 s deadline, with DeadlineExceeded as the cause', async () => {
    server.injectFault({ hang: true, times: Infinity });

    const { error, elapsedMs, message } = await underDeadline(2_000);

    expect(error).toBeInstanceOf(AwsCallError);
    expect((error as AwsCallError).operation).toBe('ListConnections');
    expect((error as AwsCallError).cause).toBeInstanceOf(DeadlineExceeded);
    expect(elapsedMs).toBeGreaterThanOrEqual(1_900);
    expect(elapsedMs).toBeLessThan(3_000);
    expect(message).toMatch(/did not complete ListConnections within 2 s, so the action gave up/);
    expect(message).toMatch(/re-run the job/);
    // No attempt had ended when the deadline struck: the action's own abort is not "the last attempt".
    expect(message).not.toMatch(/AbortError|Request aborted/);
  });

  it('names the last failed attempt in the deadline message when an attempt failed before the endpoint hung', async () => {
    server.injectFault({ operation: 'ListConnections', times: 1 });
    server.injectFault({ operation: 'ListConnections', hang: true, times: Infinity });

    const { error, elapsedMs, message } = await underDeadline(2_000);

    expect((error as AwsCallError).cause).toBeInstanceOf(DeadlineExceeded);
    expect(elapsedMs).toBeLessThan(3_000);
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
