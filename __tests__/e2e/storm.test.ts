// One org-wide storm through the bundle with the production limits (issue 27). App Runner refuses
// every call until each run has been refused for longer than the 45 s lookup deadline, then lets 4
// calls a second through: a run judged by the deadline would fail, so every run passing shows that
// throttling is a queue with a budget of its own. Only outcomes are asserted, never how many retries
// the jitter needed or in which order the runs went. The file starts first (support/slow-first.ts).
import { setTimeout as sleep } from 'node:timers/promises';

import { describe, it } from 'vitest';

import { PRODUCTION_LIMITS } from '../../src/model.js';
import { localRuns } from '../support/local-run.js';
import type { ActionRun } from '../support/run-action.js';

const NAME = 'org-shared-conn';
const RUNS = 40;
/** Each run signs with its own access key, so the endpoint's log tells the runs apart. */
const keyOf = (run: number) => `AKIDSTORM${run}`;

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: 'us-east-1' });

const failed = (runs: readonly ActionRun[]) =>
  runs.flatMap((run) => (run.exitCode === 0 ? [] : [`exit ${run.exitCode}\n${run.stdout}`])).slice(0, 3);

describe('a storm of runs against the rate limit of App Runner waits in its queue', () => {
  it(
    `${RUNS} runs started together, each throttled past the lookup deadline, then 4 calls a second: all pass`,
    async ({ expect, onTestFinished }) => {
      const server = await endpointFor({ onTestFinished }, { rateLimit: { perSecond: 4 } });
      const arn = server.seedConnection({ name: NAME, status: 'AVAILABLE' });
      const lift = server.injectFault({ type: 'ThrottlingException', times: Infinity });

      const storm = Promise.all(
        Array.from({ length: RUNS }, (_, run) => runAgainst(server, {}, { AWS_ACCESS_KEY_ID: keyOf(run) })),
      );
      const seen = () => new Set(server.calls.map((call) => call.accessKeyId));
      // A run that ends without a call (a crash) ends the waiting too, so the failure shows its output.
      let ended = false;
      void storm.finally(() => (ended = true));
      while (!ended && seen().size < RUNS) await sleep(100);
      // Every run has been refused once; each is refused for longer than the deadline from here.
      await sleep(PRODUCTION_LIMITS.lookupMs + 1_000);
      lift();
      const runs = await storm;

      expect(
        runs.map((run) => run.exitCode),
        failed(runs).join('\n---\n'),
      ).toEqual(Array(RUNS).fill(0));
      expect(runs.map((run) => run.outputs['connection-arn'])).toEqual(Array(RUNS).fill(arn));
      expect(server.connections()).toHaveLength(1);
      for (const run of runs) expect(run.stdout).toMatch(/Queued for \d+s: App Runner is throttling this run/);
      for (const run of runs) expect(run.durationMs).toBeLessThan(PRODUCTION_LIMITS.throttleBudgetMs + 60_000);
    },
    PRODUCTION_LIMITS.throttleBudgetMs + 120_000,
  );
});
