// End to end: `node dist/index.js` as the runner runs it, against the local App Runner
// endpoint and a local fake of GitHub's issue-comment API, both on 127.0.0.1. Only what the
// bundle shows: the log lines, GITHUB_OUTPUT, the annotations and what reaches GitHub. Every
// behaviour of the wait, the dry run and the comment is specified in process, with bounds in
// milliseconds: __tests__/in-process/wait-dry-run-comment.test.ts and hostile-github.test.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';
import { githubRoute, startHostileFront } from '../support/hostile-front.js';
import { annotations, foreignCommandLines } from '../support/log-lines.js';
import { type ActionRun, type RunOptions, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const HANDSHAKE_URL = `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`;
const WRITE_OPERATIONS = ['CreateConnection', 'TagResource', 'UntagResource', 'DeleteConnection'];
const TOKEN = 'ghs_e2eSecretToken0123456789abcdefXYZ';
const MARKER_PREFIX = '<!-- apprunner-connection-action:connection=';
const PR = 7;

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

/** Runs the bundle against the local endpoint; inputs and env add to or override the defaults. */
function run(inputs: Record<string, string>, env: RunOptions['env'] = {}): Promise<ActionRun> {
  return runAction({
    inputs: { region: REGION, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url, ...env },
  });
}

/** The environment of a pull_request workflow whose comment goes to `apiUrl`. */
function prEnv(apiUrl = github.url): RunOptions['env'] {
  const path = join(eventDir, `pull_request-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(
    path,
    JSON.stringify({ pull_request: { number: PR }, repository: { name: 'repo', owner: { login: 'owner' } } }),
  );
  return {
    GITHUB_EVENT_PATH: path,
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'owner/repo',
    GITHUB_API_URL: apiUrl,
  };
}

const commentInputs = (name: string) => ({ 'connection-name': name, 'comment-on-pr': 'true', 'github-token': TOKEN });

describe('wait-for-handshake in the bundle: a log line per poll, the status output following the connection', () => {
  it('logs one line per poll and writes connection-status AVAILABLE to GITHUB_OUTPUT', async () => {
    const arn = appRunner.seedConnection({ name: 'wait-flips' });
    appRunner.flipToAvailableAfter('wait-flips', 1);

    const result = await run({ 'connection-name': 'wait-flips', 'wait-for-handshake': '30s', 'poll-interval': '1s' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'AVAILABLE', created: 'false' });
    // One lookup, then one status check per poll.
    const polls = appRunner.count('ListConnections') - 1;
    expect(polls).toBe(1);
    const progress = result.stdout.split('\n').filter((line) => /^Status of wait-flips after \d+m?s: /.test(line));
    expect(progress).toHaveLength(polls);
    expect(progress.at(-1)).toMatch(/: AVAILABLE$/);
    expect(result.stdout).toMatch(/Waiting up to 30s .*checking every 1s/);
    expect(result.commands.filter((c) => c.command === 'notice' || c.command === 'error')).toEqual([]);
  });
});

describe('dry-run in the bundle: the outputs a workflow can read, with no ARN for an absent connection', () => {
  it('writes connection-name, provider-type, created and handshake-url, and no connection-arn or write call', async () => {
    const result = await run({ 'connection-name': 'dry-absent', 'dry-run': 'true', tags: 'team=web' });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs).toEqual({
      'connection-name': 'dry-absent',
      'provider-type': 'GITHUB',
      created: 'false',
      'handshake-url': HANDSHAKE_URL,
    });
    expect(appRunner.calls.map((c) => c.operation).filter((op) => WRITE_OPERATIONS.includes(op))).toEqual([]);
    expect(result.stdout).toContain(
      'Dry run: connection dry-absent does not exist; a run without dry-run would create it.',
    );
    expect(annotations(result, 'error')).toEqual([]);
  });
});

describe('comment-on-pr in the bundle: the comment on the fake, the token and GitHub text kept out of the log', () => {
  it('creates the comment on the first run and updates that same comment on the second, saying so in the log', async () => {
    appRunner.seedConnection({ name: 'pr-conn' });

    const first = await run(commentInputs('pr-conn'), prEnv());
    expect(first.exitCode, first.stdout + first.stderr).toBe(0);
    const [created, ...extra] = github.comments(PR, 'owner/repo');
    expect(extra).toEqual([]);
    expect(created?.body).toContain(`${MARKER_PREFIX}pr-conn -->`);
    expect(created?.body).toContain('PENDING_HANDSHAKE');
    expect(first.stdout).toContain(`Pull request #${PR}: comment created.`);

    appRunner.setStatus('pr-conn', 'AVAILABLE');
    const second = await run(commentInputs('pr-conn'), prEnv());
    expect(second.exitCode, second.stdout + second.stderr).toBe(0);
    const [updated, ...more] = github.comments(PR, 'owner/repo');
    expect(more).toEqual([]);
    expect(updated?.id).toBe(created?.id);
    expect(updated?.body).toContain('**AVAILABLE**');
    expect(second.stdout).toContain(`Pull request #${PR}: comment updated.`);

    expect(github.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `POST /repos/owner/repo/issues/${PR}/comments`,
      `GET /repos/owner/repo/issues/${PR}/comments`,
      `PATCH /repos/owner/repo/issues/comments/${created?.id}`,
    ]);
    expect([...annotations(first, 'warning'), ...annotations(second, 'warning')]).toEqual([]);
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

  it('turns an error from GitHub built to start workflow commands into exactly one warning annotation, and exits 0', async ({
    onTestFinished,
  }) => {
    const front = await startHostileFront(github.url, githubRoute);
    onTestFinished(() => front.close());
    front.misbehave(
      `GET /repos/owner/repo/issues/${PR}/comments`,
      {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Forbidden\n::warning::INJECTED\n##[error]INJECTED' }),
      },
      Infinity,
    );

    const result = await run(commentInputs('gh-injected'), prEnv(front.url));

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(annotations(result, 'error')).toEqual([]);
    const [warning, ...more] = annotations(result, 'warning');
    expect(more).toEqual([]);
    expect(warning).toMatch(/^Could not comment on the pull request \(.*INJECTED/);
    expect(foreignCommandLines(result)).toEqual([]);
    expect(result.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
    expect(github.comments(PR)).toEqual([]);
  });
});
