// End to end: `node dist/index.js` as the runner runs it, against the local App Runner
// endpoint and a local fake of GitHub's issue-comment API, both on 127.0.0.1.
// Behaviours: waiting for the handshake (6), dry run, and the pull-request comment.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { BOT_LOGIN, type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { type ActionRun, type RunOptions, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const HANDSHAKE_URL = `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`;
const WRITE_OPERATIONS = ['CreateConnection', 'TagResource', 'UntagResource', 'DeleteConnection'];
const TOKEN = 'ghs_e2eSecretToken0123456789abcdefXYZ';
const MARKER_PREFIX = '<!-- apprunner-connection-action:connection=';

let appRunner: LocalAppRunner;
let github: FakeGitHub;
let eventDir: string;

beforeAll(async () => {
  [appRunner, github] = await Promise.all([startLocalAppRunner({ region: REGION }), startFakeGitHub()]);
  eventDir = mkdtempSync(join(tmpdir(), 'e2e-event-'));
});

afterAll(async () => {
  await Promise.all([appRunner?.close(), github?.close()]);
  if (eventDir) rmSync(eventDir, { recursive: true, force: true });
});

beforeEach(() => {
  appRunner.reset();
  github.reset();
});

afterEach(() => {
  github.failWith(null);
});

/** Runs the bundle against the local endpoint; inputs and env add to or override the defaults. */
function run(inputs: Record<string, string>, env: RunOptions['env'] = {}, timeoutMs?: number): Promise<ActionRun> {
  return runAction({
    inputs: { region: REGION, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url, ...env },
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
  });
}

function errors(result: ActionRun): string[] {
  return result.commands.filter((c) => c.command === 'error').map((c) => c.message);
}

function warnings(result: ActionRun): string[] {
  return result.commands.filter((c) => c.command === 'warning').map((c) => c.message);
}

function writeCalls(): string[] {
  return appRunner.calls.map((c) => c.operation).filter((op) => WRITE_OPERATIONS.includes(op));
}

/** Polls until `check` holds (the action runs in a child process meanwhile). */
async function until(check: () => boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!check()) {
    if (Date.now() - started > timeoutMs) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('wait-for-handshake: poll until AVAILABLE, fail with the handshake link on timeout or ERROR', () => {
  it('waits through two pending polls, exits 0 with status AVAILABLE and logs a line per poll', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-flips' });
    appRunner.flipToAvailableAfter('wait-flips', 2);

    const result = await run({ 'connection-name': 'wait-flips', 'wait-for-handshake': '30s', 'poll-interval': '1s' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({
      'connection-arn': arn,
      'connection-status': 'AVAILABLE',
      created: 'false',
    });
    // One lookup, then one status check per poll: pending, then available.
    const polls = appRunner.count('ListConnections') - 1;
    expect(polls).toBe(2);
    const progress = result.stdout.split('\n').filter((line) => /^Status of wait-flips after \d+s: /.test(line));
    expect(progress).toHaveLength(polls);
    expect(progress.at(-1)).toMatch(/: AVAILABLE$/);
    expect(result.stdout).toMatch(/Waiting up to 30s .*checking every 1s/);
    expect(result.durationMs).toBeLessThan(15_000);
    expect(result.summary).toContain('**AVAILABLE**');
    expect(result.summary).not.toContain('PENDING_HANDSHAKE');
    expect(result.summary).not.toContain('Finish the handshake');
    expect(result.commands.filter((c) => c.command === 'notice' || c.command === 'error')).toEqual([]);
  });

  it('fails on timeout naming the status and the handshake link, with the outputs already written', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-timeout' });

    const result = await run({ 'connection-name': 'wait-timeout', 'wait-for-handshake': '3s', 'poll-interval': '1s' });

    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    const [error, ...more] = errors(result);
    expect(more).toEqual([]);
    expect(error).toContain('PENDING_HANDSHAKE');
    expect(error).toContain('3s');
    expect(error).toContain(HANDSHAKE_URL);
    expect(result.outputs).toEqual({
      'connection-arn': arn,
      'connection-name': 'wait-timeout',
      'connection-status': 'PENDING_HANDSHAKE',
      'provider-type': 'GITHUB',
      created: 'false',
      'handshake-url': HANDSHAKE_URL,
    });
    // The outputs were known before the wait began: the log says so in that order.
    expect(result.stdout.indexOf(`Reusing connection wait-timeout (PENDING_HANDSHAKE): ${arn}`)).toBeGreaterThan(-1);
    expect(result.stdout.indexOf(`Reusing connection wait-timeout`)).toBeLessThan(
      result.stdout.indexOf('Waiting up to'),
    );
    expect(appRunner.count('ListConnections')).toBeGreaterThanOrEqual(3);
    expect(result.summary).toContain('Finish the handshake');
    expect(result.summary).toContain('The step failed');
  });

  it('stops waiting at the first poll that sees ERROR and fails with how to recover', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-error' });

    const running = run({ 'connection-name': 'wait-error', 'wait-for-handshake': '30s', 'poll-interval': '1s' });
    // The lookup and one pending poll have been answered: the action is waiting.
    await until(() => appRunner.count('ListConnections') >= 2);
    appRunner.setStatus('wait-error', 'ERROR');
    const result = await running;

    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(appRunner.count('ListConnections')).toBe(3);
    const [error] = errors(result);
    expect(error).toContain('ERROR');
    expect(error).toContain(`delete-connection --connection-arn ${arn}`);
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(result.outputs['connection-status']).toBe('ERROR');
    expect(result.summary).toContain('The connection is in ERROR');
    expect(result.summary).not.toContain('Finish the handshake');
  });

  it('does not poll at all when the connection is already AVAILABLE', async () => {
    appRunner.seedConnection({ name: 'wait-ready', status: 'AVAILABLE' });

    const result = await run({ 'connection-name': 'wait-ready', 'wait-for-handshake': '30s', 'poll-interval': '1s' });

    expect(result.exitCode).toBe(0);
    expect(appRunner.count()).toBe(1);
    expect(result.stdout).not.toContain('Waiting up to');
    expect(result.outputs['connection-status']).toBe('AVAILABLE');
  });

  it('fails a refused status check during the wait with the same advice as a refused lookup, and writes the summary', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-denied' });

    const running = run({ 'connection-name': 'wait-denied', 'wait-for-handshake': '30s', 'poll-interval': '1s' });
    await until(() => appRunner.count('ListConnections') >= 1);
    appRunner.denyOperation('ListConnections');
    const result = await running;

    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.outputs['connection-arn']).toBe(arn);
    const [error] = errors(result);
    // Behaviour 9: access denied names the IAM action and says what to do, as it does when the lookup is refused.
    expect(error).toContain('Add the IAM action apprunner:ListConnections');
    // As for a failure after the connection is known during the lookup: the summary shows it and the failure.
    expect(result.summaryShown).toContain(arn);
    expect(result.summaryShown).toContain('The step failed');
  });

  it('ends the wait at once when the connection is deleted meanwhile, without claiming to have waited it out', async () => {
    appRunner.seedConnection({ name: 'wait-deleted' });

    const running = run({ 'connection-name': 'wait-deleted', 'wait-for-handshake': '30s', 'poll-interval': '1s' });
    await until(() => appRunner.count('ListConnections') >= 1);
    appRunner.setStatus('wait-deleted', 'DELETED');
    const result = await running;

    expect(result.exitCode).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(result.outputs['connection-status']).toBe('DELETED');
    const [error] = errors(result);
    expect(error).toContain('DELETED');
    // It stopped after one poll: "after waiting 30s" and "complete the handshake" would both be wrong.
    expect(error).not.toContain('after waiting 30s');
    expect(error).not.toContain('Complete the handshake');
  });

  it('bounds the wait by wait-for-handshake even when a status check never gets an answer', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-hang' });

    const running = run(
      { 'connection-name': 'wait-hang', 'wait-for-handshake': '3s', 'poll-interval': '1s' },
      {},
      30_000,
    );
    await until(() => appRunner.count('ListConnections') >= 1);
    appRunner.injectFault({ operation: 'ListConnections', hang: true, times: Infinity });
    const result = await running;

    // 3 s of waiting plus the 10 s a last check may take, not 10 attempts of 5 s each.
    expect(result.exitCode, `killed after ${result.durationMs} ms`).toBe(1);
    expect(result.durationMs).toBeLessThan(16_000);
    expect(errors(result)[0]).toMatch(
      /still PENDING_HANDSHAKE after waiting 3s \(the last status check got no answer in time\)/,
    );
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(errors(result)).toHaveLength(1);
  });

  it.each([
    ['wait-for-handshake', '5d'],
    ['wait-for-handshake', '-1'],
    ['wait-for-handshake', '1.5m'],
    ['poll-interval', '0'],
  ])('rejects %s %j as a bad input naming the input, before any App Runner call', async (input, value) => {
    const result = await run({ 'connection-name': 'wait-bad-input', [input]: value });

    expect(result.exitCode).toBe(1);
    const [error, ...more] = errors(result);
    expect(more).toEqual([]);
    expect(error).toContain(`Input '${input}'`);
    expect(error).toContain(JSON.stringify(value));
    expect(appRunner.count()).toBe(0);
    expect(result.outputs).toEqual({});
  });
});

describe('dry-run: report what would happen, change nothing', () => {
  it('reports that an absent connection would be created, with no write call and no ARN', async () => {
    const result = await run({ 'connection-name': 'dry-absent', 'dry-run': 'true', tags: 'team=web' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(writeCalls()).toEqual([]);
    expect(appRunner.count('ListConnections')).toBeGreaterThan(0);
    expect(appRunner.connections()).toEqual([]);
    expect(result.outputs).toMatchObject({
      'connection-name': 'dry-absent',
      'provider-type': 'GITHUB',
      created: 'false',
    });
    expect(result.outputs).not.toHaveProperty('connection-arn');
    expect(result.stdout).toContain(
      'Dry run: connection dry-absent does not exist; a run without dry-run would create it.',
    );
    expect(result.summary).toContain('would be created (dry run)');
    expect(result.summary).toContain('nothing was changed');
    expect(errors(result)).toEqual([]);
  });

  it('reports the tags it would apply to an existing connection, with no write call and the ARN in the outputs', async () => {
    const arn = appRunner.seedConnection({ name: 'dry-present', tags: { team: 'api', keep: 'me' } });

    const result = await run({
      'connection-name': 'dry-present',
      'dry-run': 'true',
      tags: 'team=web\nkeep=me\ncost-center=42',
    });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(writeCalls()).toEqual([]);
    expect(appRunner.connections()[0]?.tags).toEqual({ team: 'api', keep: 'me' });
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-name': 'dry-present', created: 'false' });
    expect(result.stdout).toContain('Dry run: would apply tags: "team=web", "cost-center=42"');
    expect(result.summary).toContain('Tags to apply');
    expect(result.summaryShown).toContain('team=web');
    expect(result.summaryShown).toContain('cost-center=42');
    expect(result.summaryShown).not.toContain('keep=me');
    expect(result.summary).toContain('would be reused (dry run)');
  });

  it('does not wait for the handshake in a dry run', async () => {
    appRunner.seedConnection({ name: 'dry-pending' });

    const result = await run({ 'connection-name': 'dry-pending', 'dry-run': 'true', 'wait-for-handshake': '30s' });

    expect(result.exitCode).toBe(0);
    expect(appRunner.count()).toBe(1);
    expect(result.durationMs).toBeLessThan(10_000);
  });
});

describe('comment-on-pr: one comment per connection on the pull request, updated in place', () => {
  const PR = 7;

  function prEnv(event = 'pull_request', payload: object = { pull_request: { number: PR } }): RunOptions['env'] {
    const path = join(eventDir, `${event}-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, JSON.stringify({ ...payload, repository: { name: 'repo', owner: { login: 'owner' } } }));
    return {
      GITHUB_EVENT_PATH: path,
      GITHUB_EVENT_NAME: event,
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_API_URL: github.url,
    };
  }

  const commentInputs = (name: string) => ({ 'connection-name': name, 'comment-on-pr': 'true', 'github-token': TOKEN });

  it('creates the comment on the first run and updates that same comment on the second, AVAILABLE once it is', async () => {
    appRunner.seedConnection({ name: 'pr-conn' });

    const first = await run(commentInputs('pr-conn'), prEnv());
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const [created, ...extra] = github.comments(PR, 'owner/repo');
    expect(extra).toEqual([]);
    expect(created?.body).toContain(`${MARKER_PREFIX}pr-conn -->`);
    expect(created?.body).toContain('pr-conn');
    expect(created?.body).toContain('PENDING_HANDSHAKE');
    expect(created?.body).toContain(HANDSHAKE_URL);
    expect(first.stdout).toContain(`Pull request #${PR}: comment created.`);

    appRunner.setStatus('pr-conn', 'AVAILABLE');
    const second = await run(commentInputs('pr-conn'), prEnv());
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const [updated, ...more] = github.comments(PR, 'owner/repo');
    expect(more).toEqual([]);
    expect(updated?.id).toBe(created?.id);
    expect(updated?.body).toContain(`${MARKER_PREFIX}pr-conn -->`);
    expect(updated?.body).toContain('**AVAILABLE**');
    expect(updated?.body).not.toContain('PENDING_HANDSHAKE');
    expect(second.stdout).toContain(`Pull request #${PR}: comment updated.`);

    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `POST /repos/owner/repo/issues/${PR}/comments`,
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `PATCH /repos/owner/repo/issues/comments/${created?.id}`,
    ]);
    expect(warnings(first).concat(warnings(second))).toEqual([]);
  });

  it('leaves comments that do not carry its marker alone', async () => {
    appRunner.seedConnection({ name: 'pr-mine' });
    const human = github.seedComment({ issue: PR, body: 'Looks good, but see the App Runner connection pr-mine' });
    const otherConnection = github.seedComment({
      issue: PR,
      body: `${MARKER_PREFIX}pr-mine-2 -->\nanother connection`,
      user: BOT_LOGIN,
    });

    const result = await run(commentInputs('pr-mine'), prEnv());

    expect(result.exitCode).toBe(0);
    const comments = github.comments(PR);
    expect(comments).toHaveLength(3);
    expect(comments.find((c) => c.id === human.id)).toEqual(human);
    expect(comments.find((c) => c.id === otherConnection.id)).toEqual(otherConnection);
    expect(comments.filter((c) => c.body.includes(`${MARKER_PREFIX}pr-mine -->`))).toHaveLength(1);
    expect(github.requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('comments on pull_request_target events too', async () => {
    appRunner.seedConnection({ name: 'pr-target', status: 'AVAILABLE' });

    const result = await run(commentInputs('pr-target'), prEnv('pull_request_target'));

    expect(result.exitCode).toBe(0);
    expect(github.comments(PR).map((c) => c.body)).toEqual([expect.stringContaining(`${MARKER_PREFIX}pr-target -->`)]);
  });

  it.each([403, 404])('warns and still succeeds when GitHub answers %i', async (status) => {
    const arn = appRunner.seedConnection({ name: 'pr-refused' });
    github.failWith(status);

    const result = await run(commentInputs('pr-refused'), prEnv());

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(errors(result)).toEqual([]);
    const [warning, ...more] = warnings(result);
    expect(more).toEqual([]);
    expect(warning).toContain('Could not comment on the pull request');
    expect(warning).toContain('pull-requests: write');
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.requests.every((r) => r.status === status)).toBe(true);
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(result.summary).toContain('pr-refused');
  });

  it('warns and still succeeds when the connection to GitHub drops', async () => {
    appRunner.seedConnection({ name: 'pr-network' });
    github.failWith('network');

    const result = await run(commentInputs('pr-network'), prEnv());

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(errors(result)).toEqual([]);
    expect(warnings(result)).toEqual([expect.stringContaining('Could not comment on the pull request')]);
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.comments(PR)).toEqual([]);
    expect(result.durationMs).toBeLessThan(15_000);
  });

  it('sends no request to GitHub on a push event', async () => {
    appRunner.seedConnection({ name: 'pr-push' });

    const result = await run(commentInputs('pr-push'), {
      ...prEnv('push', { ref: 'refs/heads/main' }),
      RUNNER_DEBUG: '1',
    });

    expect(result.exitCode).toBe(0);
    expect(github.requests).toEqual([]);
    expect(warnings(result)).toEqual([]);
    expect(result.commands).toContainEqual({ command: 'debug', message: 'comment-on-pr is ignored on push event.' });
  });

  it('sends no request to GitHub when comment-on-pr is false, even on a pull request', async () => {
    appRunner.seedConnection({ name: 'pr-off' });

    const result = await run({ 'connection-name': 'pr-off', 'github-token': TOKEN }, prEnv());

    expect(result.exitCode).toBe(0);
    expect(github.requests).toEqual([]);
  });

  it('sends the token only as the Authorization header and never prints it, even with RUNNER_DEBUG=1', async () => {
    appRunner.seedConnection({ name: 'pr-token' });
    const debugEnv = { ...prEnv(), RUNNER_DEBUG: '1' };

    const first = await run(commentInputs('pr-token'), debugEnv);
    github.failWith(403);
    const refused = await run(commentInputs('pr-token'), debugEnv);
    github.failWith('network');
    const dropped = await run(commentInputs('pr-token'), debugEnv);

    expect([first.exitCode, refused.exitCode, dropped.exitCode]).toEqual([0, 0, 0]);
    expect(github.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of github.requests) expect(request.authorization).toBe(`token ${TOKEN}`);
    for (const result of [first, refused, dropped]) {
      expect(result.stdout).not.toContain(TOKEN);
      expect(result.stderr).not.toContain(TOKEN);
      expect(result.summary).not.toContain(TOKEN);
    }
    expect(
      github
        .comments(PR)
        .map((c) => c.body)
        .join('\n'),
    ).not.toContain(TOKEN);
  });
});
