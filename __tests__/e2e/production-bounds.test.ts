// The production bounds, each proven once on the bundle with its real numbers: the 45 s lookup deadline
// (also with a retry pause pending when it strikes), the 30 s bound of the pull-request comment and the
// 10 s of a wait's last status check; every other bound is specified in process. The cases run side by
// side, and the file starts first (support/slow-first.ts): it lasts about as long as the deadline.
import { describe, it } from 'vitest';

import { startFakeGitHub } from '../support/fake-github.js';
import { appRunnerBehindFront, githubRoute, startHostileFront } from '../support/hostile-front.js';
import { localRuns } from '../support/local-run.js';
import { annotations } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
/** The contract: no run lasts longer than this, plus the wait it asked for. */
const RUN_BOUND_MS = 60_000;
/** What a machine with every core busy may add to a bound. */
const SLACK_MS = 8_000;
const { endpointFor, runAgainst } = localRuns({ connectionName: 'bound-conn', region: REGION });
const log = (run: ActionRun) => `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}\n${run.stderr}`;
/** The run from its first line on, without the start-up a busy machine stretches (the time from the spawn is longer). */
const sinceFirstLine = (run: ActionRun) => run.durationMs - (run.stdoutLines[0]?.atMs ?? 0);

describe.concurrent('the lookup-or-create gives up at its 45 s deadline', () => {
  it('an endpoint that never answers: exit 1 after 45 s, with no output', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    server.injectFault({ hang: true, times: Infinity });

    const run = await runAgainst(server);

    expect(run.exitCode, log(run)).toBe(1);
    // The deadline, not the attempts, ended it: 10 attempts of 5 s each would take longer.
    expect(run.durationMs).toBeGreaterThanOrEqual(45_000);
    expect(sinceFirstLine(run)).toBeLessThan(RUN_BOUND_MS);
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(
        /^App Runner did not complete ListConnections within 45s, so the action gave up\. The last attempt ended with: TimeoutError.*can reach/,
      ),
    ]);
    expect(run.outputs).toEqual({});
    expect(run.summary).toContain('**The step failed.**');
  });

  it('a 5xx every time, a 19 s pause pending at 45 s: over within 60 s', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    server.injectFault({ operation: 'ListConnections', times: Infinity });
    // The SDK's backoff is random * min(base * 2^retry, 20 s). Pinned at 0.95, with attempts to
    // spare, a 19 s pause starts at about 43 s and would run to about 62 s.
    const pinned = { NODE_OPTIONS: '--import=data:text/javascript,Math.random=()=>0.95', AWS_MAX_ATTEMPTS: '30' };

    const run = await runAgainst(server, {}, pinned);

    expect(run.exitCode, log(run)).toBe(1);
    expect(run.durationMs).toBeGreaterThanOrEqual(45_000);
    expect(sinceFirstLine(run)).toBeLessThan(RUN_BOUND_MS);
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(/^App Runner did not complete ListConnections within 45s, so the action gave up\./),
    ]);
  });
});

describe.concurrent('the pull-request comment gives up after 30 s, and the step goes on', () => {
  it('a GitHub that never answers: one warning, exit 0, outputs intact', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const github = await startFakeGitHub();
    const front = await startHostileFront(github.url, githubRoute);
    onTestFinished(() => github.close());
    onTestFinished(() => front.close());
    front.misbehave('*', { kind: 'hang' }, Infinity);

    const run = await runAction({
      inputs: { 'connection-name': 'bound-comment', 'comment-on-pr': 'true', 'github-token': 'ghs_bound0123456789' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION },
      pullRequest: { number: 7, apiUrl: front.url },
    });

    expect(run.exitCode, log(run)).toBe(0);
    expect(run.durationMs).toBeGreaterThanOrEqual(30_000);
    expect(sinceFirstLine(run)).toBeLessThan(RUN_BOUND_MS);
    // One bound for the comment: the final update does not wait on the GitHub that failed the early one.
    expect(annotations(run, 'warning')).toEqual([
      'Could not comment on the pull request (GitHub did not answer within 30s). ' +
        'The job summary has the same details; re-run the job to retry.',
    ]);
    expect(annotations(run, 'error')).toEqual([]);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:us-east-1:/);
    expect(run.summary).toContain('### Finish the handshake');
  });
});

describe.concurrent('a wait checks once more at its end, and that check has 10 s', () => {
  it('a last check that never answers ends a 3s wait at 3 s plus 10 s', async ({ expect, onTestFinished }) => {
    // The lookup is answered; every status check after it hangs.
    let requests = 0;
    const { server, front } = await appRunnerBehindFront({ onTestFinished }, REGION, () =>
      requests++ === 0 ? 'lookup' : 'check',
    );
    const arn = server.seedConnection({ name: 'bound-wait' });
    front.misbehave('check', { kind: 'hang' }, Infinity);

    const run = await runAction({
      inputs: { 'connection-name': 'bound-wait', 'wait-for-handshake': '3s', 'poll-interval': '15s' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_REGION: REGION },
    });

    expect(run.exitCode, log(run)).toBe(1);
    // Timed from the line that starts the wait: start-up, which a busy machine stretches, is left out.
    const started = run.stdoutLines.find((line) => line.text.startsWith('Waiting up to 3s'));
    expect(started, log(run)).toBeDefined();
    const waitedMs = run.durationMs - (started?.atMs ?? 0);
    expect(waitedMs).toBeGreaterThanOrEqual(3_000 + 10_000 - 1_000);
    expect(waitedMs).toBeLessThan(3_000 + 10_000 + SLACK_MS);
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(/still PENDING_HANDSHAKE after waiting 3s \(the last status check got no answer in time\)/),
    ]);
    expect(run.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'PENDING_HANDSHAKE' });
  });
});
