// The production bounds, each proven once on the committed bundle as the runner runs it: the 45 s
// lookup deadline (also with a retry pause still pending when it strikes), the 30 s bound of the
// pull-request comment, and the 10 s a wait's last status check may take. Everything else about
// budgets, stalls and give-ups is specified in process with limits in milliseconds
// (__tests__/in-process/); here only the real numbers and the real process exit are at stake.
//
// The cases run side by side: the file takes about as long as its longest case, the deadline.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { githubRoute, startHostileFront, type HostileFront } from '../support/hostile-front.js';
import { annotations } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
/** The contract: no run lasts longer than this plus the wait it asked for. */
const RUN_BOUND_MS = 60_000;
const PR = 7;

const servers: { close(): Promise<unknown> }[] = [];
let eventDir: string;

beforeAll(() => {
  eventDir = mkdtempSync(join(tmpdir(), 'production-bounds-'));
});

afterAll(async () => {
  await Promise.all(servers.map((server) => server.close()));
  rmSync(eventDir, { recursive: true, force: true });
});

async function appRunnerEndpoint(): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner({ region: REGION });
  servers.push(server);
  return server;
}

function run(
  server: LocalAppRunner,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<ActionRun> {
  return runAction({
    inputs: { region: REGION, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, ...env },
  });
}

function logOf(run: ActionRun): string {
  return `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}\n${run.stderr}`;
}

describe.concurrent('the lookup-or-create gives up at its 45 s deadline', () => {
  it('an endpoint that never answers: the step fails after 45 s, saying so, with no output', async ({ expect }) => {
    const server = await appRunnerEndpoint();
    server.injectFault({ hang: true, times: Infinity });

    const result = await run(server, { 'connection-name': 'bound-hang' });

    console.log(`hanging endpoint: the step ended after ${result.durationMs} ms`);
    expect(result.exitCode, logOf(result)).toBe(1);
    // The deadline, not the retries, ended it: 10 attempts of 5 s each would take longer.
    expect(result.durationMs).toBeGreaterThanOrEqual(44_000);
    expect(result.durationMs).toBeLessThan(RUN_BOUND_MS);
    const [error, ...more] = annotations(result, 'error');
    expect(more).toEqual([]);
    expect(error).toMatch(/^App Runner did not complete ListConnections within 45 s, so the action gave up\./);
    expect(error).toMatch(/The last attempt ended with: TimeoutError/);
    expect(error).toMatch(/can reach AWS/);
    expect(result.outputs).toEqual({});
    expect(result.summary).toContain('**The step failed:**');
  });

  it('persistent throttling with a retry pause pending at the deadline: the process still ends within 60 s', async ({
    expect,
  }) => {
    const server = await appRunnerEndpoint();
    server.injectFault({ operation: 'ListConnections', type: 'ThrottlingException', times: Infinity });
    // The SDK's backoff is random * min(1 s * 2^retry, 20 s) for throttling. Pinned at 0.87, the
    // 7th attempt fails at ~44.4 s and its pause runs to ~61.8 s: in flight when the deadline strikes.
    const pinnedJitter = { NODE_OPTIONS: '--import=data:text/javascript,Math.random=()=>0.87' };

    const result = await run(server, { 'connection-name': 'bound-backoff' }, pinnedJitter);

    console.log(`throttling with a pause pending at the deadline: the step ended after ${result.durationMs} ms`);
    expect(result.exitCode, logOf(result)).toBe(1);
    expect(result.durationMs).toBeLessThan(RUN_BOUND_MS);
    const [error, ...more] = annotations(result, 'error');
    expect(more).toEqual([]);
    expect(error).toMatch(/throttl/i);
  });
});

describe.concurrent('the pull-request comment gives up after 30 s, and the step goes on', () => {
  let github: FakeGitHub;
  let front: HostileFront;

  beforeAll(async () => {
    github = await startFakeGitHub();
    front = await startHostileFront(github.url, githubRoute);
    servers.push(front, github);
  });

  it('a GitHub that never answers: one warning naming the 30 s, exit 0, outputs and summary intact', async ({
    expect,
  }) => {
    const server = await appRunnerEndpoint();
    front.misbehave(`GET /repos/owner/repo/issues/${PR}/comments`, { kind: 'hang' }, Infinity);
    const eventPath = join(eventDir, 'pull_request.json');
    writeFileSync(eventPath, JSON.stringify({ pull_request: { number: PR } }));

    const result = await run(
      server,
      { 'connection-name': 'bound-comment', 'comment-on-pr': 'true', 'github-token': 'ghs_boundTestToken0123456789' },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'owner/repo',
        GITHUB_API_URL: front.url,
      },
    );

    console.log(`GitHub hanging: the step ended after ${result.durationMs} ms`);
    expect(result.exitCode, logOf(result)).toBe(0);
    expect(result.durationMs).toBeGreaterThanOrEqual(29_000);
    expect(result.durationMs).toBeLessThan(RUN_BOUND_MS);
    expect(annotations(result, 'warning')).toEqual([
      'Could not comment on the pull request (GitHub did not answer within 30 s). ' +
        'The job summary has the same details; re-run the job to retry.',
    ]);
    expect(annotations(result, 'error')).toEqual([]);
    expect(result.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:us-east-1:/);
    expect(result.summary).toContain('Finish the handshake');
  });
});

describe.concurrent('a wait checks once more at its end, and that check has 10 s', () => {
  it('a last status check that never answers ends the wait within 3 s plus 10 s, saying so', async ({ expect }) => {
    const server = await appRunnerEndpoint();
    const arn = server.seedConnection({ name: 'bound-wait' });
    // The lookup is answered; every status check after it hangs.
    let lookups = 0;
    const front = await startHostileFront(server.url, () => (lookups++ === 0 ? 'lookup' : 'check'));
    servers.push(front);
    front.misbehave('check', { kind: 'hang' }, Infinity);

    const result = await runAction({
      inputs: { region: REGION, 'connection-name': 'bound-wait', 'wait-for-handshake': '3s', 'poll-interval': '15s' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: front.url },
    });

    console.log(`a 3s wait whose last check hangs: the step ended after ${result.durationMs} ms`);
    expect(result.exitCode, logOf(result)).toBe(1);
    // Timed from the line that starts the wait, so the start-up a busy machine stretches is left out.
    const started = result.stdoutLines.find((line) => line.text.startsWith('Waiting up to 3s'));
    expect(started, logOf(result)).toBeDefined();
    const waitedMs = result.durationMs - (started?.atMs ?? 0);
    console.log(`  of which ${waitedMs} ms after the wait began`);
    expect(waitedMs).toBeGreaterThanOrEqual(3_000 + 10_000 - 100);
    expect(waitedMs).toBeLessThan(3_000 + 10_000 + 2_000);
    expect(result.durationMs).toBeLessThan(RUN_BOUND_MS + 3_000);
    expect(annotations(result, 'error')).toEqual([
      expect.stringMatching(/still PENDING_HANDSHAKE after waiting 3s \(the last status check got no answer in time\)/),
    ]);
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(result.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
  });
});
