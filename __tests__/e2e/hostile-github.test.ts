// The committed bundle, run as the runner runs it with comment-on-pr on a pull_request
// event, against the local fake of GitHub's comment API behind a hostile front: an API that
// never answers, trickles, floods, paginates for ever, drops the connection or answers with
// something that is not a list of comments. The comment is a courtesy: whatever GitHub
// does, the step ends within its bound with a warning, the outputs and summary intact.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { startFakeGitHub, type FakeGitHub } from '../support/fake-github.js';
import { type HostileFront, type Misbehaviour, githubRoute, startHostileFront } from '../support/hostile-front.js';
import { annotations, foreignCommandLines } from '../support/log-lines.js';
import { type ActionRun, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const PR = 7;
const LIST = `GET /repos/owner/repo/issues/${PR}/comments`;
const CREATE = `POST /repos/owner/repo/issues/${PR}/comments`;
const TOKEN = 'ghs_hostileTestToken0123456789abcdefXYZ';
/** The contract: no run lasts longer than this (these runs do not wait for a handshake). */
const RUN_BOUND_MS = 60_000;

let appRunner: LocalAppRunner;
let eventPath: string;
let eventDir: string;

beforeAll(async () => {
  appRunner = await startLocalAppRunner({ region: REGION });
  eventDir = mkdtempSync(join(tmpdir(), 'hostile-github-'));
  eventPath = join(eventDir, 'event.json');
  writeFileSync(
    eventPath,
    JSON.stringify({ pull_request: { number: PR }, repository: { name: 'repo', owner: { login: 'owner' } } }),
  );
});

afterAll(async () => {
  await appRunner.close();
  rmSync(eventDir, { recursive: true, force: true });
});

async function githubBehindFront(
  context: Pick<TestContext, 'onTestFinished'>,
): Promise<{ github: FakeGitHub; front: HostileFront }> {
  const github = await startFakeGitHub();
  const front = await startHostileFront(github.url, githubRoute);
  context.onTestFinished(async () => {
    await front.close();
    await github.close();
  });
  return { github, front };
}

/** A run on a pull_request event that comments, each with its own connection name. */
function commentingRun(front: HostileFront, name: string): Promise<ActionRun> {
  return runAction({
    inputs: { 'connection-name': name, region: REGION, 'comment-on-pr': 'true', 'github-token': TOKEN },
    env: {
      AWS_ENDPOINT_URL_APPRUNNER: appRunner.url,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_REPOSITORY: 'owner/repo',
      GITHUB_API_URL: front.url,
    },
  });
}

describe.concurrent('a misbehaving GitHub API: a warning within the bound, never a failure', () => {
  const CASES: { what: string; route: string; behaviour: Misbehaviour; says: RegExp }[] = [
    {
      what: 'a list of comments that never comes',
      route: LIST,
      behaviour: { kind: 'hang' },
      says: /GitHub did not answer within 30 s/,
    },
    {
      what: 'a list of comments trickled a byte every 100 ms',
      route: LIST,
      behaviour: { kind: 'trickle', intervalMs: 100 },
      says: /GitHub did not answer within 30 s/,
    },
    {
      what: 'a create that never answers',
      route: CREATE,
      behaviour: { kind: 'hang' },
      says: /GitHub did not answer within 30 s/,
    },
    {
      what: 'a list of comments of 40 MB',
      route: LIST,
      behaviour: { kind: 'flood', bytes: 40 * 1024 * 1024, contentType: 'application/json', declareLength: false },
      says: /larger than 33554432 bytes/,
    },
    {
      what: 'a list of comments that declares 4 GB',
      route: LIST,
      behaviour: { kind: 'flood', bytes: 4 * 1024 * 1024 * 1024, contentType: 'application/json', declareLength: true },
      says: /larger than 33554432 bytes/,
    },
    {
      what: 'a list of comments that is not a list',
      route: LIST,
      behaviour: {
        kind: 'answer',
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"comments": []}',
      },
      says: /GitHub's list of comments is not a list/,
    },
    {
      what: 'a dropped connection',
      route: LIST,
      behaviour: { kind: 'reset' },
      says: /Could not comment on the pull request \(/,
    },
    {
      what: 'a 502 HTML page from a gateway',
      route: LIST,
      behaviour: {
        kind: 'answer',
        status: 502,
        headers: { 'content-type': 'text/html' },
        body: '<html>Bad Gateway</html>',
      },
      says: /Could not comment on the pull request \(/,
    },
  ];

  it.for(CASES)('$what', async ({ route, behaviour, says }, { expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    const name = `gh-${Math.random().toString(36).slice(2, 10)}`;
    // Comments of other people make the list long enough to trickle past the bound.
    for (let i = 0; i < 5; i += 1) github.seedComment({ issue: PR, body: `review ${i}: ${'looks good '.repeat(40)}` });
    front.misbehave(route, behaviour, Infinity);

    const run = await commentingRun(front, name);

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.durationMs).toBeLessThan(RUN_BOUND_MS);
    expect(annotations(run, 'error')).toEqual([]);
    const [warning, ...more] = annotations(run, 'warning');
    expect(more).toEqual([]);
    expect(warning).toMatch(says);
    expect(run.outputs['connection-name']).toBe(name);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
    expect(run.summary).toContain('Finish the handshake');
    expect(foreignCommandLines(run)).toEqual([]);
    expect(`${run.stdout}${run.stderr}`).not.toContain(TOKEN);
    // Nothing half-done: no comment, or exactly one of this action's.
    expect(github.comments(PR).filter((comment) => comment.user !== 'octocat').length).toBeLessThanOrEqual(1);
    console.log(`GitHub ${JSON.stringify(behaviour.kind)} on ${route}: the step ended after ${run.durationMs} ms`);
  });

  it('a list of comments that always has a next page: reads 10 pages, adds no second comment, warns', async ({
    expect,
    onTestFinished,
  }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    let page = 1;
    front.misbehave(
      LIST,
      {
        kind: 'edit',
        edit: (answer) => ({
          ...answer,
          headers: {
            ...answer.headers,
            link: `<${front.url}/repos/owner/repo/issues/${PR}/comments?page=${++page}>; rel="next"`,
          },
          body: Array.from({ length: 100 }, (_, index) => ({ id: page * 1000 + index, body: 'someone else' })),
        }),
      },
      Infinity,
    );

    const run = await commentingRun(front, 'gh-endless');

    expect(run.exitCode, run.stdout).toBe(0);
    expect(annotations(run, 'warning')).toEqual([
      expect.stringMatching(
        /this connection's comment is not among the first 1000 comments of the pull request\). No second comment was added/,
      ),
    ]);
    expect(front.requests.filter((request) => request.key === LIST)).toHaveLength(10);
    expect(front.requests.filter((request) => request.key === CREATE)).toHaveLength(0);
    expect(github.comments(PR)).toEqual([]);
  });

  it('a list of comments cut off before its end: adds no comment, warns', async ({ expect, onTestFinished }) => {
    const { front, github } = await githubBehindFront({ onTestFinished });
    github.seedComment({ issue: PR, body: 'an earlier review' });
    front.misbehave(LIST, { kind: 'truncate', bytes: 20 }, Infinity);

    const run = await commentingRun(front, 'gh-cut-off');

    expect(run.exitCode, run.stdout).toBe(0);
    expect(annotations(run, 'warning')).toEqual([expect.stringMatching(/^Could not comment on the pull request \(/)]);
    expect(front.requests.filter((request) => request.key === CREATE)).toHaveLength(0);
  });

  it('a slow App Runner and a GitHub that never answers together: still within 60 s, the comment cut to what is left', async ({
    expect,
    onTestFinished,
  }) => {
    const { front } = await githubBehindFront({ onTestFinished });
    const slow = await startLocalAppRunner({ region: REGION });
    onTestFinished(() => slow.close());
    // Six lookups that hang until the 5 s request timeout: the lookup ends well past 30 s.
    slow.injectFault({ operation: 'ListConnections', hang: true, times: 6 });
    front.misbehave(LIST, { kind: 'hang' }, Infinity);

    const run = await runAction({
      inputs: { 'connection-name': 'gh-both-slow', region: REGION, 'comment-on-pr': 'true', 'github-token': TOKEN },
      env: {
        AWS_ENDPOINT_URL_APPRUNNER: slow.url,
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'owner/repo',
        GITHUB_API_URL: front.url,
      },
    });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:/);
    expect(run.durationMs).toBeLessThan(RUN_BOUND_MS);
    const [warning] = annotations(run, 'warning');
    const [, bound] = /GitHub did not answer within (\d+) s/.exec(warning ?? '') ?? [];
    expect(Number(bound)).toBeLessThan(30);
    console.log(
      `App Runner slow and GitHub hanging: the step ended after ${run.durationMs} ms, the comment given ${bound} s`,
    );
  });

  it('a comment list with an error message built to start commands starts none', async ({ expect, onTestFinished }) => {
    const { front } = await githubBehindFront({ onTestFinished });
    front.misbehave(
      LIST,
      {
        kind: 'answer',
        status: 403,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: 'Forbidden\n::warning::INJECTED\n##[error]INJECTED' }),
      },
      Infinity,
    );

    const run = await commentingRun(front, 'gh-injected');

    expect(run.exitCode).toBe(0);
    expect(annotations(run, 'warning')[0]).toContain('INJECTED');
    expect(foreignCommandLines(run)).toEqual([]);
  });
});
