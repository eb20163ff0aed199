// The committed bundle, run as the runner runs it, against the local App Runner endpoint
// under concurrency and faults: racing runs, transient errors on every operation, a rate
// limit shared by a burst of runs, and endpoints that fail or hang for good.
//
// Every suite is concurrent so the slow ones (a give-up takes ~45 s) overlap the rest; each
// test has its own endpoint, so nothing is shared between them but the CPU.

import { afterAll, beforeAll, describe, it, type ExpectStatic } from 'vitest';

import { startLocalAppRunner, type FaultSpec, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import type { ActionRun, RunOptions } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'org-shared-conn';
const ARN_PATTERN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/[A-Za-z0-9_-]+\/[0-9a-f]{32}$/;
/** The contract: a persistent failure ends the step within this long. */
const GIVE_UP_BOUND_MS = 60_000;

// The give-up runs start at once; the other tests hold their (dozens of) processes back a
// moment, so the measured give-up times are not inflated by sixty cold starts on two cores.
const HEAD_START_MS = 2_000;
const othersMayStart = new Promise((resolve) => setTimeout(resolve, HEAD_START_MS));

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

function runMany(count: number, server: LocalAppRunner, inputs: Record<string, string> = {}): Promise<ActionRun[]> {
  return Promise.all(Array.from({ length: count }, () => runAgainst(server, inputs)));
}

/** What to print when a run did not do what a test expected. */
function diagnose(runs: readonly ActionRun[]): string {
  return runs
    .filter((run) => run.exitCode !== 0)
    .slice(0, 3)
    .map((run) => `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}`)
    .join('\n---\n');
}

const errorsOf = (run: ActionRun) => run.commands.filter((c) => c.command === 'error').map((c) => c.message);

/** The live connections of one name on the endpoint. */
const liveConnections = (server: LocalAppRunner, name = NAME) =>
  server.connections().filter((c) => c.name === name && c.status !== 'DELETED');

/**
 * The outcome every concurrent burst must have: all runs exit 0, the endpoint holds one
 * live connection, every run outputs its ARN, and exactly one run says it created it.
 */
function expectOneConnectionForAll(expect: ExpectStatic, runs: readonly ActionRun[], server: LocalAppRunner) {
  expect(
    runs.map((run) => run.exitCode),
    diagnose(runs),
  ).toEqual(Array(runs.length).fill(0));
  const live = liveConnections(server);
  expect(live).toHaveLength(1);
  expect(new Set(runs.map((run) => run.outputs['connection-arn']))).toEqual(new Set([live[0]?.arn]));
  expect(runs.filter((run) => run.outputs['created'] === 'true')).toHaveLength(1);
  return live[0];
}

describe.concurrent('a persistent failure ends the step with a clear error within 60 s', () => {
  // The three give-ups run side by side in one hook (they take ~45 s each), then each test checks one.
  const servers: LocalAppRunner[] = [];
  let serverError: ActionRun;
  let hanging: ActionRun;
  let throttled: ActionRun;
  let unluckyBackoff: ActionRun;
  let serverErrorCalls: { attempt: number; errorType?: string }[];

  async function giveUp(fault: FaultSpec, env: RunOptions['env'] = {}) {
    const server = await startLocalAppRunner({ region: REGION });
    servers.push(server);
    server.injectFault(fault);
    return { run: await runAgainst(server, {}, env), server };
  }

  // The SDK's backoff is random * min(1 s * 2^retry, 20 s) for throttling. Pinned at 0.87, the
  // 7th attempt fails at ~44.4 s and its backoff runs to ~61.8 s: a pause in flight at the deadline.
  const PINNED_JITTER = { NODE_OPTIONS: '--import=data:text/javascript,Math.random=()=>0.87' };

  beforeAll(async () => {
    const throttling: FaultSpec = { operation: 'ListConnections', type: 'ThrottlingException', times: Infinity };
    const [fiveHundred, hang, throttle, unlucky] = await Promise.all([
      giveUp({ operation: 'ListConnections', times: Infinity }),
      giveUp({ hang: true, times: Infinity }),
      giveUp(throttling),
      giveUp(throttling, PINNED_JITTER),
    ]);
    serverError = fiveHundred.run;
    serverErrorCalls = fiveHundred.server.calls.map(({ attempt, errorType }) => ({ attempt, errorType }));
    hanging = hang.run;
    throttled = throttle.run;
    unluckyBackoff = unlucky.run;
    console.log(
      `give-up times: persistent 500 ${serverError.durationMs} ms, hanging endpoint ${hanging.durationMs} ms, ` +
        `persistent throttling ${throttled.durationMs} ms, ` +
        `persistent throttling with a backoff pending at the deadline ${unluckyBackoff.durationMs} ms`,
    );
  }, 80_000);

  afterAll(async () => {
    await Promise.all(servers.map((server) => server.close()));
  });

  it('fails on a persistent 500 from ListConnections after 10 attempts, saying it is a server error to re-run, without an ARN', ({
    expect,
  }) => {
    expect(serverError.exitCode).toBe(1);
    expect(serverError.durationMs).toBeLessThan(GIVE_UP_BOUND_MS);
    const [error, ...moreErrors] = errorsOf(serverError);
    expect(moreErrors).toEqual([]);
    expect(error).toMatch(/server error \(500 InternalServiceErrorException\) after 10 attempts/);
    expect(error).toMatch(/re-run the job/);
    expect(serverError.outputs['connection-arn']).toBeUndefined();
    expect(serverErrorCalls.map((call) => call.attempt)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('gives up on an endpoint that never answers at the deadline, saying so, without an ARN', ({ expect }) => {
    expect(hanging.exitCode).toBe(1);
    expect(hanging.durationMs).toBeLessThan(GIVE_UP_BOUND_MS);
    // The deadline (45 s), not the retries, ended it: 10 attempts of 5 s each would take longer.
    expect(hanging.durationMs).toBeGreaterThanOrEqual(44_000);
    const [error, ...moreErrors] = errorsOf(hanging);
    expect(moreErrors).toEqual([]);
    expect(error).toMatch(/did not complete ListConnections within 45 s, so the action gave up/);
    expect(error).toMatch(/TimeoutError/);
    expect(error).toMatch(/can reach AWS/);
    expect(hanging.outputs['connection-arn']).toBeUndefined();
  });

  it('fails on persistent throttling within 60 s with an error that says App Runner was throttling', ({ expect }) => {
    expect(throttled.exitCode).toBe(1);
    expect(throttled.durationMs).toBeLessThan(GIVE_UP_BOUND_MS);
    const [error, ...moreErrors] = errorsOf(throttled);
    expect(moreErrors).toEqual([]);
    expect(error).toMatch(/throttl/i);
    expect(throttled.outputs['connection-arn']).toBeUndefined();
  });

  it('ends the step within 60 s even when a retry backoff is still pending at the deadline', ({ expect }) => {
    expect(unluckyBackoff.exitCode).toBe(1);
    expect(errorsOf(unluckyBackoff)).toHaveLength(1);
    expect(unluckyBackoff.durationMs).toBeLessThan(GIVE_UP_BOUND_MS);
  });
});

describe.concurrent('concurrent runs of one name yield one connection and the same ARN everywhere', () => {
  const RACE = { createDelayMs: 300, listLagMs: 1000 };

  it('20 runs started together: one live connection, 20 identical ARNs, all exit 0, exactly one created=true', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished }, RACE);
    await othersMayStart;

    const runs = await runMany(20, server);

    const connection = expectOneConnectionForAll(expect, runs, server);
    expect(server.connections()).toHaveLength(1);
    expect(connection?.arn).toMatch(ARN_PATTERN);
    expect(runs.filter((run) => run.outputs['created'] === 'false')).toHaveLength(19);
    // The race really happened: some runs lost their create and had to look the name up again.
    const lostCreates = server.calls.filter(
      (call) => call.operation === 'CreateConnection' && call.errorType === 'InvalidRequestException',
    );
    expect(lostCreates.length).toBeGreaterThan(0);
  });

  it('20 runs with tags started together: one connection carrying exactly those tags, tagged by the create alone', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished }, RACE);
    await othersMayStart;

    const runs = await runMany(20, server, { tags: 'team=platform\ncost-center=4711\n# a comment\nenv = preview' });

    const connection = expectOneConnectionForAll(expect, runs, server);
    expect(connection?.tags).toEqual({ team: 'platform', 'cost-center': '4711', env: 'preview' });
    // The losers found the tags already there: nothing to apply.
    expect(server.count('TagResource')).toBe(0);
  });
});

describe.concurrent('transient faults on every operation are retried by the SDK and the run succeeds', () => {
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

  it.for(CASES)(
    '$operation answering $label: exit 0, outputs set, and the endpoint saw the retries',
    async ({ operation, seeded, spec, type }, { expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished });
      if (seeded) server.seedConnection({ name: NAME, tags: { team: 'old', keep: 'me' } });
      server.injectFault({ operation, ...spec });
      await othersMayStart;

      const run = await runAgainst(server, { tags: 'team=new' });

      expect(run.exitCode, run.stdout).toBe(0);
      expect(errorsOf(run)).toEqual([]);
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

describe.concurrent('a burst of runs against the rate limit of App Runner all succeed', () => {
  it('40 runs started together against 8 calls a second: all exit 0, one connection, one ARN', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished }, { rateLimit: { perSecond: 8 } });
    await othersMayStart;
    const started = Date.now();

    const runs = await runMany(40, server);

    const wallMs = Date.now() - started;
    const throttledCalls = server.calls.filter((call) => call.errorType === 'ThrottlingException').length;
    const durations = runs.map((run) => run.durationMs).sort((a, b) => a - b);
    console.log(
      `40-run burst at 8 calls/s: ${runs.filter((run) => run.exitCode === 0).length}/40 exit 0, ` +
        `wall ${wallMs} ms, slowest run ${durations.at(-1)} ms, median ${durations[20]} ms, ` +
        `${server.count()} calls of which ${throttledCalls} throttled, ` +
        `highest attempt ${Math.max(...server.calls.map((call) => call.attempt))}`,
    );
    expectOneConnectionForAll(expect, runs, server);
    expect(server.connections()).toHaveLength(1);
    // The limit was really hit, and the SDK retried through it.
    expect(throttledCalls).toBeGreaterThan(0);
  });
});
