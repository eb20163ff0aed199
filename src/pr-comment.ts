// Keeps one comment per connection on the pull request, found by a hidden marker and
// updated in place. Loaded only on the comment path: @actions/github is not small.

import { context, getOctokit } from '@actions/github';

export const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target'];

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
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
): Promise<'created' | 'updated'> {
  // getOctokit honours GITHUB_API_URL, so GitHub Enterprise Server works as is.
  const octokit = getOctokit(token);
  const { owner, repo, pullNumber } = target;
  const comments = await octokit.paginate(octokit.rest.issues.listComments, {
    owner,
    repo,
    issue_number: pullNumber,
    per_page: 100,
  });
  const existing = comments.find((comment) => comment.body?.includes(marker));
  if (existing) {
    await octokit.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return 'updated';
  }
  await octokit.rest.issues.createComment({ owner, repo, issue_number: pullNumber, body });
  return 'created';
}
