// Creates or updates the pull-request comment through @actions/github, bounded (a chunk loaded only to comment).

import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';

import { CommentSearchCapped } from './errors.js';
import { readCapped } from './response-body.js';

const PER_PAGE = 100;

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}

export interface CommentRequest {
  readonly token: string;
  readonly target: CommentTarget;
  readonly apiUrl: string;
  readonly marker: string;
  readonly body: string;
  readonly commentId: number | undefined;
  readonly signal: AbortSignal;
  readonly maxPages: number;
  readonly maxResponseBytes: number;
}

export async function upsertComment(request: CommentRequest): Promise<{ id: number; done: 'created' | 'updated' }> {
  const { target, marker, body, maxPages } = request;
  const { owner, repo, pullNumber } = target;
  const octokit = getOctokit(request.token, {
    baseUrl: request.apiUrl,
    request: { fetch: cappedFetch(defaults.request?.fetch ?? fetch, request.maxResponseBytes), signal: request.signal },
  });
  let id = request.commentId;
  if (id === undefined) {
    let pages = 0;
    const listing = octokit.paginate.iterator(octokit.rest.issues.listComments, {
      owner,
      repo,
      issue_number: pullNumber,
      per_page: PER_PAGE,
    });
    for await (const page of listing) {
      pages += 1;
      if (!Array.isArray(page.data)) throw new Error("GitHub's list of comments is not a list");
      const existing = page.data.find((comment) => typeof comment?.body === 'string' && comment.body.includes(marker));
      if (existing) {
        if (!Number.isSafeInteger(existing.id) || existing.id <= 0) throw new Error("GitHub's comment has no valid id");
        id = existing.id;
        break;
      }
      // Never two comments: when the search cannot finish, add none.
      if (pages >= maxPages && /rel="next"/.test(page.headers.link ?? ''))
        throw new CommentSearchCapped(pages * PER_PAGE);
    }
  }
  if (id !== undefined) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: id, body });
    return { id, done: 'updated' };
  }
  const created = await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  if (!Number.isSafeInteger(created.data?.id)) throw new Error("GitHub's new comment has no valid id");
  return { id: created.data.id, done: 'created' };
}

// Reads each body whole, within the cap, before Octokit sees it: Octokit takes a body that breaks off for an empty
// one, and an empty list of comments would add a second comment.
function cappedFetch(inner: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const body = await readCapped(response.body, maxBytes, response.headers.get('content-length'));
    const { status, statusText, headers } = response;
    return new Response(body, { status, statusText, headers });
  };
}
