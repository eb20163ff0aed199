// The person who must do the handshake, through the bundle (issue 25): the pull-request comment
// comes as soon as the connection is known, before the wait, and is updated in place when the run
// ends; credentials known to end before the wait stop it cleanly, at the production margin. Every
// other behaviour of the wait and the comment is specified in process, with bounds in milliseconds.
import { describe, it, type TestContext } from 'vitest';

import { type LocalAppRunner, startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { githubRoute, startHostileFront } from '../support/hostile-front.js';
import { annotations } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const PR = 7;
const TOKEN = 'ghs_e2eSecretToken0123456789abcdefXYZ';
const CONSOLE = `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`;
const COMMENT = { 'comment-on-pr': 'true', 'github-token': TOKEN };
/** The run from the line that starts its wait on: without the start-up a busy machine stretches. */
const sinceWaitStarted = (run: ActionRun) =>
  run.durationMs - (run.stdoutLines.find(({ text }) => text.startsWith('Waiting up to'))?.atMs ?? 0);
const log = (run: ActionRun) => `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}\n${run.stderr}`;

/**
 * The local endpoint with a pending connection, and a fake GitHub behind a front that notes, for
 * each GitHub request, how many ListConnections had come by then: the order across both servers.
 */
async function pendingWithGitHub(name: string, { onTestFinished }: Pick<TestContext, 'onTestFinished'>) {
  const server = await startLocalAppRunner({ region: REGION });
  const github = await startFakeGitHub();
  const seen: { route: string; listCalls: number }[] = [];
  const front = await startHostileFront(github.url, (req) => {
    seen.push({ route: githubRoute(req).replace(/\d+$/, 'ID'), listCalls: server.count('ListConnections') });
    return githubRoute(req);
  });
  for (const closable of [github, front, server]) onTestFinished(() => closable.close());
  return { server, github, seen, apiUrl: front.url, arn: server.seedConnection({ name }) };
}

/** A run in debug mode that waits `wait`, checking every second, with comment-on-pr on pull request PR. */
const waitAndComment = (server: LocalAppRunner, apiUrl: string, name: string, wait: string) =>
  runAction({
    inputs: { 'connection-name': name, 'wait-for-handshake': wait, 'poll-interval': '1s', ...COMMENT },
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION, RUNNER_DEBUG: '1' },
    pullRequest: { number: PR, apiUrl },
  });

describe.concurrent('the pull-request comment: the handshake link before the wait, one comment kept current', () => {
  it('a 30s wait: the link comes before the first check, then AVAILABLE', async ({ expect, onTestFinished }) => {
    const { server, github, seen, apiUrl, arn } = await pendingWithGitHub('early-comment', { onTestFinished });
    // The lookup and the first status check see it pending, the second sees it AVAILABLE.
    server.flipToAvailableAfter('early-comment', 2);

    const run = await waitAndComment(server, apiUrl, 'early-comment', '30s');

    expect(run.exitCode, log(run)).toBe(0);
    expect(run.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'AVAILABLE' });
    expect(seen).toEqual([
      { route: `GET /repos/owner/repo/issues/${PR}/comments`, listCalls: 1 },
      // Posted after the lookup, before the first status check.
      { route: `POST /repos/owner/repo/issues/${PR}/comments`, listCalls: 1 },
      { route: 'PATCH /repos/owner/repo/issues/comments/ID', listCalls: 3 },
    ]);
    expect(github.requests[1]?.body).toEqual({ body: expect.stringContaining('PENDING_HANDSHAKE') });
    expect(github.requests[1]?.body).toEqual({ body: expect.stringContaining(CONSOLE) });
    const [comment, ...more] = github.comments(PR);
    expect(more).toEqual([]);
    expect(comment?.body).toContain('**✅ `AVAILABLE`**');
    expect(comment?.body).not.toContain('Finish the handshake');
    // The token goes to GitHub as its header only, and never to the log, even in debug mode.
    for (const request of github.requests) expect(request.authorization).toBe(`token ${TOKEN}`);
    for (const text of [run.stdout, run.stderr, run.summary]) expect(text).not.toContain(TOKEN);
  });

  it('a wait that runs out: the early comment, then the handshake again', async ({ expect, onTestFinished }) => {
    const { server, github, seen, apiUrl } = await pendingWithGitHub('still-pending', { onTestFinished });

    const run = await waitAndComment(server, apiUrl, 'still-pending', '3s');

    expect(run.exitCode).toBe(1);
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(/^Connection still-pending is still PENDING_HANDSHAKE after waiting 3s\./),
    ]);
    expect(seen.map(({ route }) => route.split(' ')[0])).toEqual(['GET', 'POST', 'PATCH']);
    expect(seen[1]?.listCalls).toBe(1);
    const [comment, ...more] = github.comments(PR);
    expect(more).toEqual([]);
    expect(comment?.body).toContain('The step failed.');
    expect(comment?.body).toContain('### Finish the handshake');
    expect(comment?.body).toContain(CONSOLE);
  });
});

describe.concurrent('credentials that end during a wait', () => {
  it('an expiry sooner than the wait: a warning first, then a clean stop', async ({ expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => server.close());
    server.seedConnection({ name: 'short-session' });
    // The wait stops a minute before the expiry: some seconds after the run starts, or at once where a start-up
    // took longer (how long it waited is the machine's, so the wording is asserted, not the figure).
    const expiry = new Date(Date.now() + 60_000 + 10_000).toISOString();

    const run = await runAction({
      inputs: { 'connection-name': 'short-session', 'wait-for-handshake': '10m', 'poll-interval': '1s' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION, AWS_CREDENTIAL_EXPIRATION: expiry },
    });

    expect(run.exitCode, log(run)).toBe(1);
    const lines = run.stdout.split('\n');
    const warned = lines.findIndex((line) => line.startsWith('::warning::The AWS credentials expire at'));
    expect(warned, log(run)).toBeGreaterThanOrEqual(0);
    expect(warned).toBeLessThan(lines.findIndex((line) => line.startsWith('Waiting up to 10m')));
    expect(annotations(run, 'error')).toEqual([
      expect.stringMatching(
        /^Connection short-session is still PENDING_HANDSHAKE after \d+m?s of waiting: the action stopped before its AWS credentials expire\./,
      ),
    ]);
    expect(server.calls.every(({ status }) => status === 200)).toBe(true);
    expect(sinceWaitStarted(run)).toBeLessThan(60_000);
  });
});
