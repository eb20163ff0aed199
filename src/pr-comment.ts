// Keeps one comment per connection on the pull request, found by a hidden marker and
// updated in place. Loaded only on the comment path: @actions/github is not small.
// Bounded like every network path: the caller's signal ends it, at most MAX_COMMENT_PAGES
// pages of comments are read, and no answer body is read past MAX_GITHUB_ANSWER_BYTES.

import { context, getOctokit } from '@actions/github';
import { defaults } from '@actions/github/lib/utils';

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];
const PER_PAGE = 100;
export const MAX_COMMENT_PAGES = 10;
// A page of 100 comments of GitHub's longest (65,536 characters) stays well under this.
export const MAX_GITHUB_ANSWER_BYTES = 32 * 1024 * 1024;

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}

/** The search for this connection's comment read MAX_COMMENT_PAGES pages and GitHub had more. */
export class CommentSearchCapped extends Error {
  override name = 'CommentSearchCapped';
  constructor(readonly comments: number) {
    super(`this connection's comment is not among the first ${comments} comments of the pull request`);
  }
}

/** The pull request this run belongs to, or undefined on other events. */
export function pullRequestTarget(): CommentTarget | undefined {
  const pullNumber = context.payload.pull_request?.number;
  if (!PULL_REQUEST_EVENTS.includes(context.eventName) || typeof pullNumber !== 'number') return undefined;
  return { ...context.repo, pullNumber };
}

/** Creates the comment, or updates the one that carries `marker`. Returns what it did. */
export async function upsertPullRequestComment(
  token: string,
  target: CommentTarget,
  marker: string,
  body: string,
  signal: AbortSignal,
): Promise<'created' | 'updated'> {
  // getOctokit honours GITHUB_API_URL (GitHub Enterprise Server) and, through the toolkit's
  // fetch kept here, the runner's proxy settings.
  const octokit = getOctokit(token, {
    request: { fetch: boundedFetch(defaults.request?.fetch ?? fetch), signal },
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
    if (pages >= MAX_COMMENT_PAGES && /rel="next"/.test(page.headers.link ?? '')) {
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
 * `fetch` that reads each answer whole before Octokit sees it, and fails past
 * MAX_GITHUB_ANSWER_BYTES. Octokit takes an answer whose body breaks off for an empty one;
 * an empty list of comments would then add a second comment.
 */
function boundedFetch(inner: typeof fetch): typeof fetch {
  return async (input, init) => {
    const response = await inner(input, init);
    if (!response.body) return response;
    const tooLarge = () => new Error(`GitHub's answer is larger than ${MAX_GITHUB_ANSWER_BYTES} bytes`);
    if (Number(response.headers.get('content-length') ?? 0) > MAX_GITHUB_ANSWER_BYTES) {
      await response.body.cancel();
      throw tooLarge();
    }
    const reader = response.body.getReader();
    const chunks: Uint8Array[] = [];
    let size = 0;
    for (let read = await reader.read(); !read.done; read = await reader.read()) {
      size += read.value.byteLength;
      if (size > MAX_GITHUB_ANSWER_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(read.value);
    }
    const { status, statusText, headers } = response;
    return new Response(Buffer.concat(chunks), { status, statusText, headers });
  };
}
