// upsertPullRequestComment through the real @actions/github client against the local fake
// of GitHub's issue-comment endpoints, bounded by the production page cap and answer size.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { PRODUCTION_LIMITS } from '../../src/limits.js';
import { type CommentRequest, upsertPullRequestComment } from '../../src/pr-comment.js';
import { BOT_LOGIN, type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';

const TOKEN = 'ghs_integrationToken0123456789';
const TARGET = { owner: 'owner', repo: 'repo', pullNumber: 7 };
const MARKER = '<!-- apprunner-connection-action:connection=preview-conn -->';

let github: FakeGitHub;

beforeAll(async () => {
  github = await startFakeGitHub();
});

afterAll(async () => {
  await github?.close();
});

beforeEach(() => github.reset());

/** This connection's comment request with `body`, bounded as the action bounds it. */
function request(body: string, signal: AbortSignal = AbortSignal.timeout(20_000)): CommentRequest {
  return {
    token: TOKEN,
    target: TARGET,
    apiUrl: github.url,
    marker: MARKER,
    body,
    signal,
    maxPages: PRODUCTION_LIMITS.maxCommentPages,
    maxAnswerBytes: PRODUCTION_LIMITS.maxGitHubAnswerBytes,
  };
}

/** Upserts this connection's comment with `body`. */
const upsert = (body: string) => upsertPullRequestComment(request(body));

/** Seeds `count` comments by other people on the pull request; returns their ids in order. */
function seedOthers(count: number): number[] {
  return Array.from({ length: count }, (_, i) => github.seedComment({ issue: 7, body: `review note ${i + 1}` }).id);
}

describe('upsertPullRequestComment: one comment per connection, found by its marker over every page', () => {
  it('finds the marker on the second page of more than 100 comments and updates that comment in place', async () => {
    seedOthers(120);
    const ours = github.seedComment({ issue: 7, body: `${MARKER}\nold status`, user: BOT_LOGIN });
    seedOthers(30);

    const done = await upsert(`${MARKER}\nnew status`);

    expect(done).toBe('updated');
    const lists = github.requests.filter((r) => r.method === 'GET');
    expect(lists.map((r) => r.query['page'] ?? '1')).toEqual(['1', '2']);
    expect(lists.every((r) => r.query['per_page'] === '100')).toBe(true);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
    const patches = github.requests.filter((r) => r.method === 'PATCH');
    expect(patches.map((r) => r.path)).toEqual([`/repos/owner/repo/issues/comments/${ours.id}`]);
    const all = github.comments(7);
    expect(all).toHaveLength(151);
    expect(all.find((c) => c.id === ours.id)?.body).toBe(`${MARKER}\nnew status`);
    expect(all.filter((c) => c.body.includes(MARKER))).toHaveLength(1);
  });

  it('reads every page before creating a new comment when no comment carries the marker', async () => {
    seedOthers(150);

    const done = await upsert(`${MARKER}\nfirst status`);

    expect(done).toBe('created');
    expect(github.requests.map((r) => `${r.method} ${r.query['page'] ?? ''}`)).toEqual(['GET ', 'GET 2', 'POST ']);
    const created = github.comments(7).filter((c) => c.body.includes(MARKER));
    expect(created).toEqual([expect.objectContaining({ user: BOT_LOGIN, body: `${MARKER}\nfirst status` })]);
  });

  it("leaves another connection's comment alone even when its name starts with this connection's name", async () => {
    const other = github.seedComment({
      issue: 7,
      body: '<!-- apprunner-connection-action:connection=preview-conn-2 -->\nother',
      user: BOT_LOGIN,
    });

    expect(await upsert(`${MARKER}\nmine`)).toBe('created');

    expect(github.comments(7).find((c) => c.id === other.id)?.body).toContain('\nother');
    expect(github.requests.filter((r) => r.method === 'PATCH')).toHaveLength(0);
  });

  it('writes only to the pull request and repository of the target', async () => {
    github.seedComment({ issue: 8, body: `${MARKER}\nanother pull request` });
    github.seedComment({ issue: 7, repo: 'owner/fork', body: `${MARKER}\nanother repository` });

    expect(await upsert(`${MARKER}\nhere`)).toBe('created');

    expect(github.comments(7, 'owner/repo').map((c) => c.body)).toEqual([`${MARKER}\nhere`]);
    expect(github.comments(8)[0]?.body).toContain('another pull request');
    expect(github.comments(7, 'owner/fork')[0]?.body).toContain('another repository');
  });

  it('sends the token as the Authorization header of every request', async () => {
    await upsert(`${MARKER}\nx`);
    await upsert(`${MARKER}\ny`);

    expect(github.requests.map((r) => r.method)).toEqual(['GET', 'POST', 'GET', 'PATCH']);
    for (const request of github.requests) expect(request.authorization).toBe(`token ${TOKEN}`);
  });

  it('rejects with the HTTP status when GitHub refuses, and writes nothing', async () => {
    github.failWith(403);

    await expect(upsert(`${MARKER}\nx`)).rejects.toMatchObject({
      status: 403,
    });

    github.failWith(null);
    expect(github.comments(7)).toHaveLength(0);
  });
});

describe('upsertPullRequestComment: bounded by a page cap and the signal', () => {
  it('reads at most 10 pages, then adds no second comment and says why', async () => {
    seedOthers(1_050);

    await expect(upsert(`${MARKER}\nx`)).rejects.toMatchObject({ name: 'CommentSearchCapped', comments: 1_000 });
    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(10);
    expect(github.requests.filter((r) => r.method === 'POST')).toHaveLength(0);
  });

  it('creates the comment when the 10th page is the last one', async () => {
    seedOthers(1_000);

    expect(await upsert(`${MARKER}\nx`)).toBe('created');
  });

  it('stops at once when the signal aborts', async () => {
    const stop = new AbortController();
    stop.abort(new Error('the bound ran out'));

    await expect(upsertPullRequestComment(request('x', stop.signal))).rejects.toThrow();
    expect(github.requests).toHaveLength(0);
  });
});
