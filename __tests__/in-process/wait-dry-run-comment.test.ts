// The step in process against the local App Runner endpoint and a local fake of GitHub's
// issue-comment API, both on 127.0.0.1: waiting for the handshake, the dry run, and the
// pull-request comment. Waits are in milliseconds, set past the input reader's 1 s minimum;
// what a person does meanwhile (completing, breaking or deleting the connection) happens in a
// pause of the wait, before a chosen status check.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { InputError } from '../../src/inputs.js';
import { BOT_LOGIN, type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { FAST_LIMITS, type InProcessOptions, type InProcessRun, runInProcess } from '../support/in-process.js';

const REGION = 'us-east-1';
const HANDSHAKE_URL = `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`;
const WRITE_OPERATIONS = ['CreateConnection', 'TagResource', 'UntagResource', 'DeleteConnection'];
const TOKEN = 'ghs_inProcessSecretToken0123456789abcdefXYZ';
const MARKER_PREFIX = '<!-- apprunner-connection-action:connection=';
const PR = 7;
/** A wait that runs out in the test: three status checks, 100 ms apart. */
const WAIT = { waitForHandshakeMs: 300, pollIntervalMs: 100 } as const;
/** A wait that must end long before it runs out: a run that waited it out takes 5 s. */
const LONG_WAIT = { waitForHandshakeMs: 5_000, pollIntervalMs: 100 } as const;

let appRunner: LocalAppRunner;
let github: FakeGitHub;
let eventDir: string;

beforeAll(async () => {
  [appRunner, github] = await Promise.all([startLocalAppRunner({ region: REGION }), startFakeGitHub()]);
  eventDir = mkdtempSync(join(tmpdir(), 'in-process-event-'));
});

afterAll(async () => {
  await Promise.all([appRunner?.close(), github?.close()]);
  if (eventDir) rmSync(eventDir, { recursive: true, force: true });
});

beforeEach(() => {
  appRunner.reset();
  github.reset();
});

/** Runs the step against the local endpoint; inputs and env add to or override the defaults. */
function run(inputs: Record<string, string>, options: Omit<InProcessOptions, 'inputs'> = {}): Promise<InProcessRun> {
  return runInProcess({
    ...options,
    inputs: { region: REGION, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url, ...options.env },
  });
}

/** The wait's pauses; before the status check after the `pause`th of them, `act` happens. */
function meanwhile(pause: number, act: () => void): (ms: number) => Promise<void> {
  let pauses = 0;
  return (ms) => {
    pauses += 1;
    if (pauses === pause) act();
    return new Promise((resolve) => setTimeout(resolve, ms));
  };
}

const infoLines = (result: InProcessRun): string[] =>
  result.lines.filter((line) => line.kind === 'info').map((line) => line.text);

const writeCalls = (): string[] =>
  appRunner.calls.map((call) => call.operation).filter((operation) => WRITE_OPERATIONS.includes(operation));

/** Markdown as a reader sees it: numeric character references decoded. */
const shown = (markdown: string | undefined): string =>
  (markdown ?? '').replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));

/** The environment of a pull-request workflow (or another event) whose comment goes to the fake. */
function prEnv(
  event = 'pull_request',
  payload: object = { pull_request: { number: PR } },
  repository = 'owner/repo',
): Record<string, string> {
  const [owner = '', name = ''] = repository.split('/');
  const path = join(eventDir, `${event}-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, JSON.stringify({ ...payload, repository: { name, owner: { login: owner } } }));
  return {
    GITHUB_EVENT_PATH: path,
    GITHUB_EVENT_NAME: event,
    GITHUB_REPOSITORY: repository,
    GITHUB_API_URL: github.url,
  };
}

const commentInputs = (name: string) => ({ 'connection-name': name, 'comment-on-pr': 'true', 'github-token': TOKEN });

describe('wait-for-handshake polls until the connection is AVAILABLE', () => {
  it('ends in success at the poll that sees AVAILABLE, with a log line per poll and the status output following it', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-flips' });
    appRunner.flipToAvailableAfter('wait-flips', 2);

    const result = await run({ 'connection-name': 'wait-flips' }, { settings: LONG_WAIT });

    expect(result.failure).toBeUndefined();
    expect(result.report.outcome.notice).toBeUndefined();
    expect(result.warnings).toEqual([]);
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'AVAILABLE', created: 'false' });
    expect(result.outputsSet.filter((output) => output.name === 'connection-status')).toEqual([
      { name: 'connection-status', value: 'PENDING_HANDSHAKE' },
      { name: 'connection-status', value: 'AVAILABLE' },
    ]);
    // One lookup, then one status check per poll: pending, then available.
    const polls = appRunner.count('ListConnections') - 1;
    expect(polls).toBe(2);
    const progress = infoLines(result).filter((line) => /^Status of wait-flips after \d+m?s: /.test(line));
    expect(progress).toHaveLength(polls);
    expect(progress.at(-1)).toMatch(/: AVAILABLE$/);
    expect(infoLines(result)).toContainEqual(expect.stringMatching(/^Waiting up to 5s .*checking every 100ms/));
    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    expect(result.summary).toContain('**AVAILABLE**');
    expect(result.summary).not.toContain('PENDING_HANDSHAKE');
    expect(result.summary).not.toContain('Finish the handshake');
  });

  it('does not poll at all when the connection is already AVAILABLE', async () => {
    appRunner.seedConnection({ name: 'wait-ready', status: 'AVAILABLE' });

    const result = await run({ 'connection-name': 'wait-ready' }, { settings: LONG_WAIT });

    expect(result.failure).toBeUndefined();
    expect(appRunner.count()).toBe(1);
    expect(infoLines(result).filter((line) => line.startsWith('Waiting up to'))).toEqual([]);
    expect(result.outputs['connection-status']).toBe('AVAILABLE');
  });
});

describe('a wait that runs out fails with the handshake link, the outputs already written', () => {
  it('fails naming the status, the wait and the handshake link after checking until the wait is up', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-timeout' });

    const result = await run({ 'connection-name': 'wait-timeout' }, { settings: WAIT });

    expect(result.failure).toBe(
      `Connection wait-timeout is still PENDING_HANDSHAKE after waiting 300ms. ` +
        `Complete the handshake at ${HANDSHAKE_URL} and re-run the job.`,
    );
    expect(result.durationMs).toBeGreaterThanOrEqual(WAIT.waitForHandshakeMs);
    expect(result.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs + WAIT.waitForHandshakeMs);
    expect(result.outputs).toEqual({
      'connection-arn': arn,
      'connection-name': 'wait-timeout',
      'connection-status': 'PENDING_HANDSHAKE',
      'provider-type': 'GITHUB',
      created: 'false',
      'handshake-url': HANDSHAKE_URL,
    });
    // Each output set once, before the wait began: the log says so in that order.
    expect(result.outputsSet).toHaveLength(6);
    const lines = infoLines(result);
    const reusing = lines.indexOf(`Reusing connection wait-timeout (PENDING_HANDSHAKE): ${arn}`);
    expect(reusing).toBeGreaterThan(-1);
    expect(reusing).toBeLessThan(lines.findIndex((line) => line.startsWith('Waiting up to')));
    expect(appRunner.count('ListConnections')).toBeGreaterThanOrEqual(3);
    expect(result.summary).toContain('Finish the handshake');
    expect(result.summary).toContain('The step failed');
  });

  it('ends within the wait and the last check it may take when a status check never gets an answer', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-hang' });
    const hang = () => appRunner.injectFault({ operation: 'ListConnections', hang: true, times: Infinity });

    const result = await run(
      { 'connection-name': 'wait-hang' },
      { settings: WAIT, dependencies: { sleep: meanwhile(1, hang) } },
    );

    // The wait plus lastCheckMs, not maxAttempts request timeouts (10 x 600 ms).
    expect(result.durationMs).toBeGreaterThanOrEqual(WAIT.waitForHandshakeMs + FAST_LIMITS.lastCheckMs);
    expect(result.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs + WAIT.waitForHandshakeMs);
    expect(result.failure).toMatch(
      /still PENDING_HANDSHAKE after waiting 300ms \(the last status check got no answer in time\)/,
    );
    expect(result.outputs['connection-arn']).toBe(arn);
  });
});

describe('a wait ends at once, failing, when the connection turns ERROR, is deleted, or a status check is refused', () => {
  it('stops at the first poll that sees ERROR and fails with how to recover', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-error' });
    // The lookup and one pending poll are answered; then the connection turns ERROR.
    const breaks = () => appRunner.setStatus('wait-error', 'ERROR');

    const result = await run(
      { 'connection-name': 'wait-error' },
      { settings: LONG_WAIT, dependencies: { sleep: meanwhile(2, breaks) } },
    );

    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    expect(appRunner.count('ListConnections')).toBe(3);
    expect(result.failure).toContain('ERROR');
    expect(result.failure).toContain(`delete-connection --connection-arn ${arn}`);
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(result.outputs['connection-status']).toBe('ERROR');
    expect(result.summary).toContain('The connection is in ERROR');
    expect(result.summary).not.toContain('Finish the handshake');
  });

  it('fails a refused status check with the same advice as a refused lookup, and the summary shows both', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-denied' });
    const deny = () => appRunner.denyOperation('ListConnections');

    const result = await run(
      { 'connection-name': 'wait-denied' },
      { settings: LONG_WAIT, dependencies: { sleep: meanwhile(1, deny) } },
    );

    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    expect(result.outputs['connection-arn']).toBe(arn);
    // Behaviour 9: access denied names the IAM action and says what to do, as it does when the lookup is refused.
    expect(result.failure).toContain('Add the IAM action apprunner:ListConnections');
    // As for a failure after the connection is known during the lookup: the summary shows it and the failure.
    expect(result.summaryShown).toContain(arn);
    expect(result.summaryShown).toContain('The step failed');
  });

  it('ends the wait when the connection is deleted meanwhile, without claiming to have waited it out', async () => {
    appRunner.seedConnection({ name: 'wait-deleted' });
    const deletes = () => appRunner.setStatus('wait-deleted', 'DELETED');

    const result = await run(
      { 'connection-name': 'wait-deleted' },
      { settings: LONG_WAIT, dependencies: { sleep: meanwhile(1, deletes) } },
    );

    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
    expect(result.outputs['connection-status']).toBe('DELETED');
    expect(result.failure).toContain('DELETED');
    // It stopped after one poll: "after waiting 5s" and "complete the handshake" would both be wrong.
    expect(result.failure).not.toContain('after waiting');
    expect(result.failure).not.toContain('Complete the handshake');
  });
});

describe('wait-for-handshake and poll-interval are checked before any App Runner call', () => {
  it.each([
    ['wait-for-handshake', '5d'],
    ['wait-for-handshake', '-1'],
    ['wait-for-handshake', '1.5m'],
    ['poll-interval', '0'],
  ])('rejects %s %j as a bad input naming the input and the value', async (input, value) => {
    const refused = await run({ 'connection-name': 'wait-bad-input', [input]: value }).then(
      () => undefined,
      (error: unknown) => error,
    );

    expect(refused).toBeInstanceOf(InputError);
    const [problem, ...more] = (refused as InputError).message.split('\n');
    expect(more).toEqual([]);
    expect(problem).toContain(`Input '${input}'`);
    expect(problem).toContain(JSON.stringify(value));
    expect(appRunner.count()).toBe(0);
  });
});

describe('dry-run: report what would happen, change nothing', () => {
  it('reports that an absent connection would be created, with no write call and no ARN', async () => {
    const result = await run({ 'connection-name': 'dry-absent', 'dry-run': 'true', tags: 'team=web' });

    expect(result.failure).toBeUndefined();
    expect(writeCalls()).toEqual([]);
    expect(appRunner.count('ListConnections')).toBeGreaterThan(0);
    expect(appRunner.connections()).toEqual([]);
    expect(result.outputsSet).toEqual([
      { name: 'connection-name', value: 'dry-absent' },
      { name: 'provider-type', value: 'GITHUB' },
      { name: 'created', value: 'false' },
      { name: 'handshake-url', value: HANDSHAKE_URL },
    ]);
    expect(infoLines(result)).toContain(
      'Dry run: connection dry-absent does not exist; a run without dry-run would create it.',
    );
    expect(result.summary).toContain('would be created (dry run)');
    expect(result.summary).toContain('nothing was changed');
  });

  it('reports the tags it would apply to an existing connection, with no write call and the ARN in the outputs', async () => {
    const arn = appRunner.seedConnection({ name: 'dry-present', tags: { team: 'api', keep: 'me' } });

    const result = await run({
      'connection-name': 'dry-present',
      'dry-run': 'true',
      tags: 'team=web\nkeep=me\ncost-center=42',
    });

    expect(result.failure).toBeUndefined();
    expect(writeCalls()).toEqual([]);
    expect(appRunner.connections()[0]?.tags).toEqual({ team: 'api', keep: 'me' });
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-name': 'dry-present', created: 'false' });
    expect(infoLines(result)).toContain('Dry run: would apply tags: "team=web", "cost-center=42"');
    expect(result.summary).toContain('Tags to apply');
    expect(result.summaryShown).toContain('team=web');
    expect(result.summaryShown).toContain('cost-center=42');
    expect(result.summaryShown).not.toContain('keep=me');
    expect(result.summary).toContain('would be reused (dry run)');
  });

  it('does not wait for the handshake in a dry run', async () => {
    appRunner.seedConnection({ name: 'dry-pending' });

    const result = await run({ 'connection-name': 'dry-pending', 'dry-run': 'true' }, { settings: LONG_WAIT });

    expect(result.failure).toBeUndefined();
    expect(appRunner.count()).toBe(1);
    expect(infoLines(result).filter((line) => line.startsWith('Waiting up to'))).toEqual([]);
    expect(result.durationMs).toBeLessThan(LONG_WAIT.waitForHandshakeMs);
  });
});

describe('comment-on-pr: one comment per connection on the pull request, updated in place', () => {
  it('creates the comment on the first run and updates that same comment on the second, AVAILABLE once it is', async () => {
    appRunner.seedConnection({ name: 'pr-conn' });

    const first = await run(commentInputs('pr-conn'), { env: prEnv() });
    expect(first.failure).toBeUndefined();
    const [created, ...extra] = github.comments(PR, 'owner/repo');
    expect(extra).toEqual([]);
    expect(created?.body).toContain(`${MARKER_PREFIX}pr-conn -->`);
    expect(created?.body).toContain('pr-conn');
    expect(created?.body).toContain('PENDING_HANDSHAKE');
    expect(created?.body).toContain(HANDSHAKE_URL);
    expect(infoLines(first)).toContain(`Pull request #${PR}: comment created.`);

    appRunner.setStatus('pr-conn', 'AVAILABLE');
    const second = await run(commentInputs('pr-conn'), { env: prEnv() });
    expect(second.failure).toBeUndefined();
    const [updated, ...more] = github.comments(PR, 'owner/repo');
    expect(more).toEqual([]);
    expect(updated?.id).toBe(created?.id);
    expect(updated?.body).toContain(`${MARKER_PREFIX}pr-conn -->`);
    expect(updated?.body).toContain('**AVAILABLE**');
    expect(updated?.body).not.toContain('PENDING_HANDSHAKE');
    expect(infoLines(second)).toContain(`Pull request #${PR}: comment updated.`);

    expect(github.requests.map((request) => `${request.method} ${request.path}`)).toEqual([
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `POST /repos/owner/repo/issues/${PR}/comments`,
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `PATCH /repos/owner/repo/issues/comments/${created?.id}`,
    ]);
    expect([...first.warnings, ...second.warnings]).toEqual([]);
  });

  it('leaves comments that do not carry its marker alone', async () => {
    appRunner.seedConnection({ name: 'pr-mine' });
    const human = github.seedComment({ issue: PR, body: 'Looks good, but see the App Runner connection pr-mine' });
    const otherConnection = github.seedComment({
      issue: PR,
      body: `${MARKER_PREFIX}pr-mine-2 -->\nanother connection`,
      user: BOT_LOGIN,
    });

    const result = await run(commentInputs('pr-mine'), { env: prEnv() });

    expect(result.failure).toBeUndefined();
    const comments = github.comments(PR);
    expect(comments).toHaveLength(3);
    expect(comments.find((comment) => comment.id === human.id)).toEqual(human);
    expect(comments.find((comment) => comment.id === otherConnection.id)).toEqual(otherConnection);
    expect(comments.filter((comment) => comment.body.includes(`${MARKER_PREFIX}pr-mine -->`))).toHaveLength(1);
    expect(github.requests.some((request) => request.method === 'PATCH')).toBe(false);
  });

  it('comments on pull_request_target events too', async () => {
    appRunner.seedConnection({ name: 'pr-target', status: 'AVAILABLE' });

    const result = await run(commentInputs('pr-target'), { env: prEnv('pull_request_target') });

    expect(result.failure).toBeUndefined();
    expect(github.comments(PR).map((comment) => comment.body)).toEqual([
      expect.stringContaining(`${MARKER_PREFIX}pr-target -->`),
    ]);
  });
});

describe('comment-on-pr: a GitHub that refuses the comment or drops the connection gets a warning, and the step passes', () => {
  it.each([403, 404])('warns and still succeeds when GitHub answers %i', async (status) => {
    const arn = appRunner.seedConnection({ name: 'pr-refused' });
    github.failWith(status);

    const result = await run(commentInputs('pr-refused'), { env: prEnv() });

    expect(result.failure).toBeUndefined();
    const [warning, ...more] = result.warnings;
    expect(more).toEqual([]);
    expect(warning).toContain('Could not comment on the pull request');
    expect(warning).toContain('pull-requests: write');
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.requests.every((request) => request.status === status)).toBe(true);
    expect(result.outputs['connection-arn']).toBe(arn);
    expect(result.summary).toContain('pr-refused');
  });

  it('warns and still succeeds, without waiting for the comment bound, when the connection to GitHub drops', async () => {
    appRunner.seedConnection({ name: 'pr-network' });
    github.failWith('network');

    const result = await run(commentInputs('pr-network'), { env: prEnv() });

    expect(result.failure).toBeUndefined();
    expect(result.warnings).toEqual([expect.stringContaining('Could not comment on the pull request')]);
    expect(github.requests.length).toBeGreaterThan(0);
    expect(github.comments(PR)).toEqual([]);
    expect(result.durationMs).toBeLessThan(FAST_LIMITS.commentMs);
  });
});

describe('comment-on-pr: GitHub hears from the action only on a pull-request event, and only when asked', () => {
  it('sends no request to GitHub on a push event, and says why in the debug log', async () => {
    appRunner.seedConnection({ name: 'pr-push' });

    const result = await run(commentInputs('pr-push'), { env: prEnv('push', { ref: 'refs/heads/main' }) });

    expect(result.failure).toBeUndefined();
    expect(github.requests).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.lines).toContainEqual({ kind: 'debug', text: 'comment-on-pr is ignored on push event.' });
  });

  it('sends no request to GitHub when comment-on-pr is false, even on a pull request', async () => {
    appRunner.seedConnection({ name: 'pr-off' });

    const result = await run({ 'connection-name': 'pr-off', 'github-token': TOKEN }, { env: prEnv() });

    expect(result.failure).toBeUndefined();
    expect(github.requests).toEqual([]);
  });
});

describe('the github-token goes to GitHub as the Authorization header and nowhere else', () => {
  it('sends the token only as the Authorization header, and no log line, summary or comment shows it', async () => {
    appRunner.seedConnection({ name: 'pr-token' });

    const first = await run(commentInputs('pr-token'), { env: prEnv() });
    github.failWith(403);
    const refused = await run(commentInputs('pr-token'), { env: prEnv() });
    github.failWith('network');
    const dropped = await run(commentInputs('pr-token'), { env: prEnv() });

    expect([first.failure, refused.failure, dropped.failure]).toEqual([undefined, undefined, undefined]);
    expect(github.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of github.requests) expect(request.authorization).toBe(`token ${TOKEN}`);
    for (const result of [first, refused, dropped]) {
      // Debug lines too: the in-process log keeps them all, as RUNNER_DEBUG=1 shows them.
      expect(result.lines.filter((line) => line.text.includes(TOKEN))).toEqual([]);
      expect(result.summary).not.toContain(TOKEN);
      expect(Object.values(result.outputs).filter((value) => value.includes(TOKEN))).toEqual([]);
    }
    expect(
      github
        .comments(PR)
        .map((comment) => comment.body)
        .join('\n'),
    ).not.toContain(TOKEN);
  });
});

describe('a run that fails before the connection is known still keeps the comment, saying the step failed', () => {
  it('updates the comment in place with the failure when ListConnections is refused', async () => {
    appRunner.seedConnection({ name: 'pr-fails' });
    await run(commentInputs('pr-fails'), { env: prEnv() });
    const [before] = github.comments(PR);
    appRunner.denyOperation('ListConnections');

    const result = await run(commentInputs('pr-fails'), { env: prEnv() });

    expect(result.failure).toMatch(/^Access denied: the AWS identity is not allowed apprunner:ListConnections\./);
    expect(result.outputsSet).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(infoLines(result)).toContain(`Pull request #${PR}: comment updated.`);
    const [comment, ...more] = github.comments(PR);
    expect(more).toEqual([]);
    expect(comment?.id).toBe(before?.id);
    const body = shown(comment?.body);
    expect(body).toContain(`${MARKER_PREFIX}pr-fails -->`);
    expect(body).toContain('The App Runner connection <code>pr-fails</code> is **not known: the step failed**.');
    expect(body).toContain(`**The step failed:** <code>${result.failure}</code>`);
    expect(body).not.toContain('PENDING_HANDSHAKE');
    expect(result.summaryShown).toContain(`**The step failed:** <code>${result.failure}</code>`);
  });
});

describe('the handshake guide names the repository the connector app must see, and who may install it', () => {
  const REPOSITORY = 'octo-org/preview-app';
  const NAMES_REPOSITORY = `<code>${REPOSITORY}</code>, the repository this workflow runs in`;
  const ORG_OWNER = 'installing it on an organization takes an owner of that organization';

  it('names GITHUB_REPOSITORY and the organization owner in the summary and the comment for a GitHub connection', async () => {
    const result = await run(commentInputs('pr-guide'), { env: prEnv('pull_request', undefined, REPOSITORY) });

    expect(result.failure).toBeUndefined();
    expect(result.outputs['connection-status']).toBe('PENDING_HANDSHAKE');
    const [comment, ...more] = github.comments(PR, REPOSITORY);
    expect(more).toEqual([]);
    for (const markdown of [result.summaryShown, shown(comment?.body)]) {
      expect(markdown).toContain('### Finish the handshake');
      expect(markdown).toContain('AWS Connector for GitHub');
      expect(markdown).toContain(NAMES_REPOSITORY);
      expect(markdown).toContain(ORG_OWNER);
    }
  });

  it('asks for the Bitbucket workspace instead for a Bitbucket connection', async () => {
    const result = await run(
      { ...commentInputs('pr-guide-bb'), 'provider-type': 'BITBUCKET' },
      { env: prEnv('pull_request', undefined, REPOSITORY) },
    );

    expect(result.failure).toBeUndefined();
    const [comment] = github.comments(PR, REPOSITORY);
    for (const markdown of [result.summaryShown, shown(comment?.body)]) {
      expect(markdown).toContain('Sign in to Bitbucket and grant AWS access to the workspace');
      expect(markdown).not.toContain('AWS Connector for GitHub');
      expect(markdown).not.toContain(ORG_OWNER);
    }
  });
});
