// Behaviour 14, the GitHub side: upsertComment through the real @actions/github client against the local fake of
// GitHub's issue-comment API. One comment per connection, found by its marker over every page (or by the id a run
// already holds), updated in place; a search that reaches its page cap adds none; the signal ends it.

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { PRODUCTION_LIMITS } from '../../src/model.js';
import { type CommentRequest, upsertComment } from '../../src/pull-request.js';
import { commentMarker } from '../../src/render.js';
import { BOT_LOGIN, type FakeGitHub, startFakeGitHub } from '../support/fake-github.js';

const TOKEN = 'ghs_integrationToken0123456789';
const PR = 7;
const MARKER = commentMarker('preview-conn');

let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(() => github.close());
beforeEach(() => github.reset());

/** Upserts this connection's comment with `body`, bounded as the action bounds it. */
const upsert = (body: string, request: Partial<CommentRequest> = {}) =>
  upsertComment({
    token: TOKEN,
    owner: 'owner',
    repo: 'repo',
    pullNumber: PR,
    apiUrl: github.url,
    marker: MARKER,
    body: `${MARKER}\n${body}`,
    commentId: undefined,
    signal: AbortSignal.timeout(20_000),
    limits: PRODUCTION_LIMITS,
    ...request,
  });

/** Comments by other people on the pull request. */
const seedOthers = (count: number) =>
  Array.from({ length: count }, (_, i) => github.seedComment({ issue: PR, body: `review note ${i + 1}` }));

const requested = () => github.requests.map((r) => `${r.method} ${r.query['page'] ?? ''}`.trim());

describe('one comment per connection: found by its marker over every page, updated in place', () => {
  it('finds the marker on the second page of comments and updates that comment, adding none', async () => {
    seedOthers(120);
    const ours = github.seedComment({ issue: PR, body: `${MARKER}\nold status`, user: BOT_LOGIN });
    seedOthers(30);

    expect(await upsert('new status')).toEqual({ id: ours.id, done: 'updated' });

    expect(requested()).toEqual(['GET', 'GET 2', 'PATCH']);
    expect(github.requests.every((r) => r.method !== 'GET' || r.query['per_page'] === '100')).toBe(true);
    const marked = github.comments(PR).filter((c) => c.body.includes(MARKER));
    expect(marked).toEqual([expect.objectContaining({ id: ours.id, body: `${MARKER}\nnew status` })]);
  });

  it('reads every page before it creates the comment, then updates it by id without a search', async () => {
    seedOthers(150);

    const created = await upsert('first status');
    expect(created.done).toBe('created');
    expect(await upsert('final status', { commentId: created.id })).toEqual({ id: created.id, done: 'updated' });

    expect(requested()).toEqual(['GET', 'GET 2', 'POST', 'PATCH']);
    const marked = github.comments(PR).filter((c) => c.body.includes(MARKER));
    expect(marked).toEqual([
      expect.objectContaining({ id: created.id, user: BOT_LOGIN, body: `${MARKER}\nfinal status` }),
    ]);
  });

  it("leaves other comments alone: a person's, another connection's whose name starts with this one's", async () => {
    const [human] = seedOthers(1);
    const other = github.seedComment({ issue: PR, body: `${commentMarker('preview-conn-2')}\nother`, user: BOT_LOGIN });

    expect((await upsert('mine')).done).toBe('created');

    expect(github.comments(PR)).toEqual([human, other, expect.objectContaining({ body: `${MARKER}\nmine` })]);
  });

  it('writes only to the pull request and repository of the target', async () => {
    github.seedComment({ issue: 8, body: `${MARKER}\nanother pull request` });
    github.seedComment({ issue: PR, repo: 'owner/fork', body: `${MARKER}\nanother repository` });

    expect((await upsert('here')).done).toBe('created');

    expect(github.comments(PR, 'owner/repo').map((c) => c.body)).toEqual([`${MARKER}\nhere`]);
  });

  it('rejects with the HTTP status when GitHub refuses, and writes nothing', async () => {
    github.failWith(403);

    await expect(upsert('x')).rejects.toMatchObject({ status: 403 });

    expect(github.comments(PR)).toEqual([]);
  });
});

describe('bounded: a page cap that adds no second comment, and the signal', () => {
  const cap = PRODUCTION_LIMITS.maxCommentPages;

  it('reads at most maxCommentPages pages, then adds no comment and says why', async () => {
    seedOthers(cap * 100 + 50);

    await expect(upsert('x')).rejects.toMatchObject({ name: 'CommentSearchCapped', comments: cap * 100 });

    expect(github.requests.filter((r) => r.method === 'GET')).toHaveLength(cap);
    expect(github.requests.filter((r) => r.method === 'POST')).toEqual([]);
  });

  it('creates the comment when the last page it may read is the last page there is', async () => {
    seedOthers(cap * 100);

    expect((await upsert('x')).done).toBe('created');
  });

  it('sends nothing when the signal has aborted', async () => {
    await expect(upsert('x', { signal: AbortSignal.abort(new Error('the bound ran out')) })).rejects.toThrow();

    expect(github.requests).toEqual([]);
  });
});
