// The step in process, with the real SDK client, against the local App Runner endpoint under
// concurrency and faults: runs racing to create one name, transient errors on every operation,
// and endpoints that fail, hang or throttle for good. Bounds are FAST_LIMITS (milliseconds), and
// every duration is checked against the bound that must end it. The burst of forty runs against
// App Runner's rate limit, which needs the production attempts and many processes, is in
// e2e/burst.test.ts.

import { afterAll, beforeAll, describe, it, vi, type ExpectStatic, type TestContext } from 'vitest';

import {
  startLocalAppRunner,
  type FaultSpec,
  type LocalAppRunner,
  type LocalAppRunnerOptions,
} from '../../local/apprunner-endpoint.js';
import { PRODUCTION_LIMITS, formatBound } from '../../src/limits.js';
import { FAST_LIMITS, type InProcessRun, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const NAME = 'org-shared-conn';
const ARN_PATTERN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/[A-Za-z0-9_-]+\/[0-9a-f]{32}$/;
const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);

async function endpointFor(
  { onTestFinished }: Pick<TestContext, 'onTestFinished'>,
  options: LocalAppRunnerOptions = {},
): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner({ region: REGION, ...options });
  onTestFinished(() => server.close());
  return server;
}

/** One run of NAME against the endpoint, its region from AWS_REGION as after configure-aws-credentials. */
function runAgainst(
  server: LocalAppRunner,
  inputs: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<InProcessRun> {
  return runInProcess({
    inputs: { 'connection-name': NAME, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION, ...env },
  });
}

function runMany(count: number, server: LocalAppRunner, inputs: Record<string, string> = {}): Promise<InProcessRun[]> {
  return Promise.all(Array.from({ length: count }, () => runAgainst(server, inputs)));
}

/** The live connections of one name on the endpoint. */
const liveConnections = (server: LocalAppRunner, name = NAME) =>
  server.connections().filter((c) => c.name === name && c.status !== 'DELETED');

/**
 * The outcome every concurrent start must have: every run passes, the endpoint holds one live
 * connection, every run outputs its ARN, and exactly one run says it created it.
 */
function expectOneConnectionForAll(expect: ExpectStatic, runs: readonly InProcessRun[], server: LocalAppRunner) {
  expect(runs.map((run) => run.failure)).toEqual(Array(runs.length).fill(undefined));
  const live = liveConnections(server);
  expect(live).toHaveLength(1);
  expect(server.connections()).toHaveLength(1);
  expect(runs.map((run) => run.outputs['connection-arn'])).toEqual(Array(runs.length).fill(live[0]?.arn));
  expect(runs.filter((run) => run.outputs['created'] === 'true')).toHaveLength(1);
  expect(runs.filter((run) => run.outputs['created'] === 'false')).toHaveLength(runs.length - 1);
  return live[0];
}

/** Runs of the SDK's backoff with its jitter (Math.random) pinned, restored after the suite. */
function pinJitter(value: number): void {
  beforeAll(() => {
    vi.spyOn(Math, 'random').mockReturnValue(value);
  });
  afterAll(() => {
    vi.restoreAllMocks();
  });
}

describe('concurrent runs of one name yield one connection and the same ARN everywhere', () => {
  // The endpoint's race: a create checks the name, waits createDelayMs and commits, so creates
  // started together all pass the check and all but one then fail as a duplicate. The new
  // connection stays out of listings for listLagMs: longer than the first lookups after a lost
  // create wait, shorter than all of them (the pauses of FAST_LIMITS.raceLookupPausesMs).
  const RACE_PAUSES_MS = sum(FAST_LIMITS.raceLookupPausesMs);
  const RACE = { createDelayMs: 200, listLagMs: RACE_PAUSES_MS / 2 };
  const RUNS = 20;

  it.concurrent(
    `${RUNS} runs started together: one live connection, ${RUNS} identical ARNs, exactly one created=true`,
    async ({ expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished }, RACE);

      const runs = await runMany(RUNS, server);

      const connection = expectOneConnectionForAll(expect, runs, server);
      expect(connection?.arn).toMatch(ARN_PATTERN);
      // The race really happened: some runs lost their create and looked the name up again...
      const lostCreates = server.calls.filter(
        (call) => call.operation === 'CreateConnection' && call.errorType === 'InvalidRequestException',
      );
      expect(lostCreates.length).toBeGreaterThan(0);
      // ...and the listing lagged behind the create: some of them had to look more than once.
      expect(server.count('ListConnections')).toBeGreaterThan(RUNS + lostCreates.length);
    },
  );

  it.concurrent(
    `${RUNS} runs with tags started together: one connection with exactly those tags, tagged by the create alone`,
    async ({ expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished }, RACE);

      const runs = await runMany(RUNS, server, { tags: 'team=platform\ncost-center=4711\n# a comment\nenv = preview' });

      const connection = expectOneConnectionForAll(expect, runs, server);
      expect(connection?.tags).toEqual({ team: 'platform', 'cost-center': '4711', env: 'preview' });
      // The losers found the tags already there: nothing to apply.
      expect(server.count('ListTagsForResource')).toBeGreaterThan(0);
      expect(server.count('TagResource')).toBe(0);
    },
  );
});

describe('transient faults on every operation are retried by the SDK and the run succeeds', () => {
  // The SDK waits random x min(base x 2^retry, 20 s) between attempts, with a base of up to a
  // second for throttling. With the jitter pinned low the retries take milliseconds, so the
  // lookup deadline is not what these cases measure.
  pinJitter(0.01);

  const FAULTS = [
    { label: '500 InternalServiceErrorException twice', spec: { times: 2 }, type: 'InternalServiceErrorException' },
    { label: '503 twice', spec: { status: 503, times: 2 }, type: 'ServiceUnavailableException' },
    {
      label: '400 ThrottlingException three times',
      spec: { type: 'ThrottlingException', times: 3 },
      type: 'ThrottlingException',
    },
  ] as const;
  // Tag operations run only on reuse with a tag to change, so those cases start from a seeded connection.
  const OPERATIONS = [
    { operation: 'ListConnections', seeded: false },
    { operation: 'CreateConnection', seeded: false },
    { operation: 'ListTagsForResource', seeded: true },
    { operation: 'TagResource', seeded: true },
  ] as const;
  const CASES = OPERATIONS.flatMap((op) => FAULTS.map((fault) => ({ ...op, ...fault })));

  it.concurrent.for(CASES)(
    '$operation answering $label: the run passes, outputs set, and the endpoint saw the retries',
    async ({ operation, seeded, spec, type }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      if (seeded) server.seedConnection({ name: NAME, tags: { team: 'old', keep: 'me' } });
      server.injectFault({ operation, ...spec });

      const run = await runAgainst(server, { tags: 'team=new' });

      expect(run.failure).toBeUndefined();
      const live = liveConnections(server);
      expect(live).toHaveLength(1);
      expect(server.connections()).toHaveLength(1);
      expect(run.outputs).toMatchObject({
        'connection-arn': live[0]?.arn,
        'connection-name': NAME,
        'connection-status': 'PENDING_HANDSHAKE',
        created: String(!seeded),
      });
      expect(live[0]?.tags).toEqual(seeded ? { team: 'new', keep: 'me' } : { team: 'new' });

      const calls = server.calls.filter((call) => call.operation === operation);
      const failures = spec.times;
      expect(calls.map((call) => call.attempt)).toEqual(Array.from({ length: failures + 1 }, (_, i) => i + 1));
      expect(calls.map((call) => call.errorType)).toEqual([...Array(failures).fill(type), undefined]);
      expect(calls.at(-1)?.status).toBe(200);
    },
  );
});

describe('without AWS_MAX_ATTEMPTS a call gets the production 10 attempts, where the SDK allows 3', () => {
  // Ten attempts of the SDK's real backoff would outlast FAST_LIMITS' lookup deadline; pinned low they take milliseconds.
  pinJitter(0.01);

  it('fails on a persistent 500 after 10 attempts, saying it is a server error to re-run', async ({
    expect,
    onTestFinished,
  }) => {
    expect(FAST_LIMITS.maxAttempts).toBe(PRODUCTION_LIMITS.maxAttempts);
    const server = await endpointFor({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', times: Infinity });

    const run = await runAgainst(server);

    expect(run.failure).toMatch(
      /server error \(500 InternalServiceErrorException\) after 10 attempts\. This is on the AWS side: re-run the job later\./,
    );
    expect(server.calls.map(({ attempt, errorType }) => ({ attempt, errorType }))).toEqual(
      Array.from({ length: 10 }, (_, i) => ({ attempt: i + 1, errorType: 'InternalServiceErrorException' })),
    );
    expect(run.outputs['connection-arn']).toBeUndefined();
  });
});

describe('a persistent failure ends the step with a clear error within its bounds, without an ARN', () => {
  const LOOKUP = formatBound(FAST_LIMITS.lookupMs);

  async function giveUp(context: Pick<TestContext, 'onTestFinished'>, fault: FaultSpec, env = {}) {
    const server = await endpointFor(context);
    server.injectFault(fault);
    return { server, run: await runAgainst(server, {}, env) };
  }

  it.concurrent(
    'fails on a persistent 500 after the attempts AWS_MAX_ATTEMPTS allows, saying it is a server error to re-run',
    async ({ expect, onTestFinished }) => {
      const attempts = 4;
      const { server, run } = await giveUp(
        { onTestFinished },
        { operation: 'ListConnections', times: Infinity },
        { AWS_MAX_ATTEMPTS: String(attempts) },
      );

      expect(run.failure).toMatch(
        new RegExp(`server error \\(500 InternalServiceErrorException\\) after ${attempts} attempts`),
      );
      expect(run.failure).toMatch(/re-run the job/);
      expect(run.outputs['connection-arn']).toBeUndefined();
      expect(server.calls.map(({ attempt, errorType }) => ({ attempt, errorType }))).toEqual(
        Array.from({ length: attempts }, (_, i) => ({ attempt: i + 1, errorType: 'InternalServiceErrorException' })),
      );
      // The attempts ran out, not the lookup deadline.
      expect(run.failure).not.toMatch(/did not complete/);
      expect(run.durationMs).toBeLessThan(FAST_LIMITS.lookupMs);
    },
  );

  it.concurrent(
    'gives up on an endpoint that never answers at the lookup deadline, naming the TimeoutError of the last attempt',
    async ({ expect, onTestFinished }) => {
      // Every attempt would run into the request timeout, and all of them together past the deadline.
      expect(FAST_LIMITS.maxAttempts * FAST_LIMITS.requestTimeoutMs).toBeGreaterThan(FAST_LIMITS.lookupMs);

      const { server, run } = await giveUp({ onTestFinished }, { hang: true, times: Infinity });

      expect(run.failure).toMatch(
        new RegExp(`did not complete ListConnections within ${LOOKUP}, so the action gave up`),
      );
      expect(run.failure).toMatch(/The last attempt ended with: TimeoutError/);
      expect(run.failure).toMatch(/can reach AWS/);
      expect(run.outputs['connection-arn']).toBeUndefined();
      // The deadline ended it, with attempts left, every one of them unanswered.
      expect(server.calls.length).toBeGreaterThan(1);
      expect(server.calls.length).toBeLessThan(FAST_LIMITS.maxAttempts);
      expect(server.calls.every((call) => call.status === null)).toBe(true);
      expect(run.durationMs).toBeGreaterThanOrEqual(FAST_LIMITS.lookupMs);
      expect(run.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs);
    },
  );

  it.concurrent(
    'fails on persistent throttling within the run budget, saying App Runner was throttling',
    async ({ expect, onTestFinished }) => {
      const { server, run } = await giveUp(
        { onTestFinished },
        { operation: 'ListConnections', type: 'ThrottlingException', times: Infinity },
      );

      // Mostly the deadline ends it ("was throttling"); a run of short backoffs may use up the attempts first ("kept").
      expect(run.failure).toMatch(/App Runner (was|kept) throttling/);
      expect(run.outputs['connection-arn']).toBeUndefined();
      expect(server.calls.every((call) => call.errorType === 'ThrottlingException')).toBe(true);
      expect(run.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs);
    },
  );
});

describe('a retry backoff still pending at the deadline does not hold the step past it', () => {
  // Pinned high, the SDK's second throttling backoff runs well past the lookup deadline (and the
  // run budget): the step must end at the deadline, in the middle of that pause.
  pinJitter(0.87);

  it('ends at the lookup deadline while no attempt is in flight, saying App Runner was throttling', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: Infinity });

    const run = await runAgainst(server);

    expect(run.failure).toMatch(
      new RegExp(`did not complete ListConnections within ${formatBound(FAST_LIMITS.lookupMs)}, so the action gave up`),
    );
    expect(run.failure).toMatch(/App Runner was throttling/);
    // Every attempt had its answer and attempts were left: the deadline struck during a backoff.
    expect(server.calls.length).toBeLessThan(FAST_LIMITS.maxAttempts);
    expect(server.calls.every((call) => call.status === 400 && call.errorType === 'ThrottlingException')).toBe(true);
    expect(run.durationMs).toBeGreaterThanOrEqual(FAST_LIMITS.lookupMs);
    expect(run.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs);
  });
});
