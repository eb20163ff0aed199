// The committed bundle, started forty times at once as an org-wide workflow does, against the
// local App Runner endpoint limited to about 8 calls a second: the production limits (the
// action's 10 attempts, not the SDK's 3) ride out the throttling, and all forty runs agree on one
// connection. Racing, transient faults and give-ups are specified in process
// (in-process/concurrency-and-faults.test.ts); this is the one burst of real processes.

import { describe, it } from 'vitest';

import { PRODUCTION_LIMITS } from '../../src/limits.js';
import { localRuns } from '../support/local-run.js';
import type { ActionRun } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'org-shared-conn';
const RUNS = 40;
const CALLS_PER_SECOND = 8;
/** The SDK's own default, which a burst like this outlasts. */
const SDK_DEFAULT_ATTEMPTS = 3;

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

/** What to print when a run did not do what the test expected. */
function diagnose(runs: readonly ActionRun[]): string {
  return runs
    .filter((run) => run.exitCode !== 0)
    .slice(0, 3)
    .map((run) => `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}`)
    .join('\n---\n');
}

describe('a burst of runs against the rate limit of App Runner all succeed', () => {
  it(`${RUNS} runs started together against ${CALLS_PER_SECOND} calls a second: all exit 0, one connection, one ARN`, async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpointFor({ onTestFinished }, { rateLimit: { perSecond: CALLS_PER_SECOND } });
    const started = Date.now();

    const runs = await Promise.all(Array.from({ length: RUNS }, () => runAgainst(server)));

    const wallMs = Date.now() - started;
    const throttledCalls = server.calls.filter((call) => call.errorType === 'ThrottlingException').length;
    const highestAttempt = Math.max(...server.calls.map((call) => call.attempt));
    const durations = runs.map((run) => run.durationMs).sort((a, b) => a - b);
    console.log(
      `${RUNS}-run burst at ${CALLS_PER_SECOND} calls/s: ${runs.filter((run) => run.exitCode === 0).length}/${RUNS} exit 0, ` +
        `wall ${wallMs} ms, slowest run ${durations.at(-1)} ms, median ${durations[RUNS / 2]} ms, ` +
        `${server.count()} calls of which ${throttledCalls} throttled, highest attempt ${highestAttempt}`,
    );

    expect(
      runs.map((run) => run.exitCode),
      diagnose(runs),
    ).toEqual(Array(RUNS).fill(0));
    const live = server.connections().filter((c) => c.name === NAME && c.status !== 'DELETED');
    expect(live).toHaveLength(1);
    expect(server.connections()).toHaveLength(1);
    expect(runs.map((run) => run.outputs['connection-arn'])).toEqual(Array(RUNS).fill(live[0]?.arn));
    expect(runs.filter((run) => run.outputs['created'] === 'true')).toHaveLength(1);
    // The limit was really hit, and some call needed more attempts than the SDK's default gives,
    // within the production attempts.
    expect(throttledCalls).toBeGreaterThan(0);
    expect(highestAttempt).toBeGreaterThan(SDK_DEFAULT_ATTEMPTS);
    expect(highestAttempt).toBeLessThanOrEqual(PRODUCTION_LIMITS.maxAttempts);
    // Within the bound a run has in production.
    expect(durations.at(-1)).toBeLessThan(PRODUCTION_LIMITS.runBudgetMs);
  });
});
