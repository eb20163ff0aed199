// Keeps one comment per connection on the pull request, found by a hidden marker and
// updated in place. Loaded only on the comment path: @actions/github is not small.
// Bounded like every network path: the caller's signal ends it, at most `maxPages` pages of
// comments are read, and no answer body is read past `maxAnswerBytes`.

import { getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';

import { CommentSearchCapped } from './errors.js';
import type { CommentTarget } from './pull-request.js';

const PER_PAGE = 100;

export interface CommentRequest {
  readonly token: string;
  readonly target: CommentTarget;
  /** GITHUB_API_URL: GitHub Enterprise Server, or a test's local server. */
  readonly apiUrl: string;
  /** The hidden text that finds this connection's comment. */
  readonly marker: string;
  readonly body: string;
  readonly signal: AbortSignal;
  readonly maxPages: number;
  readonly maxAnswerBytes: number;
}

/** Creates the comment, or updates the one that carries the marker. Returns what it did. */
export async function upsertPullRequestComment(request: CommentRequest): Promise<'created' | 'updated'> {
  const { target, marker, body, maxPages } = request;
  // The toolkit's fetch, kept here, honours the runner's proxy settings for GitHub.
  const octokit = getOctokit(request.token, {
    baseUrl: request.apiUrl,
    request: { fetch: boundedFetch(defaults.request?.fetch ?? fetch, request.maxAnswerBytes), signal: request.signal },
  });
  const { owner, repo, pullNumber } = target;
  let pages = 0;
  let existingId: number | undefined;
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
      existingId = existing.id;
      break;
    }
    // Never two comments: when the search cannot finish, add none.
    if (pages >= maxPages && /rel="next"/.test(page.headers.link ?? '')) {
      throw new CommentSearchCapped(pages * PER_PAGE);
    }
  }
  if (existingId !== undefined) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existingId, body });
    return 'updated';
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  return 'created';
}

/**
 * `fetch` that reads each answer whole before Octokit sees it, and fails past `maxBytes`.
 * Octokit takes an answer whose body breaks off for an empty one; an empty list of comments
 * would then add a second comment.
 */
function boundedFetch(inner: typeof fetch, maxBytes: number): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const tooLarge = () => new Error(`GitHub's answer is larger than ${maxBytes} bytes`);
    if (Number(response.headers.get('content-length') ?? 0) > maxBytes) {
      await response.body.cancel();
      throw tooLarge();
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
    const { status, statusText, headers } = response;
    return new Response(Buffer.concat(chunks), { status, statusText, headers });
  };
}
