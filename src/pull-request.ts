// The pull request a run belongs to, and its one comment, posted once the connection is known and updated at the end.

import { readFileSync } from 'node:fs';

import { CommentSearchCapped, DeadlineExceeded, errorText } from './errors.js';
import type { Settings } from './inputs.js';
import { log as words } from './messages.js';
import type { Environment, Limits } from './model.js';
import type { StepLog, StepReport } from './outcome.js';
import { commentMarker, renderComment } from './render.js';
import { readCapped } from './response-body.js';
import type { RunBudget } from './run-budget.js';

const PER_PAGE = 100;

export interface CommentRequest {
  readonly token: string;
  readonly apiUrl: string;
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
  readonly marker: string;
  readonly body: string;
  readonly commentId: number | undefined;
  readonly signal: AbortSignal;
  readonly limits: Pick<Limits, 'maxCommentPages' | 'maxGitHubResponseBytes'>;
}

export type CommentPoster = typeof upsertComment;

/** Posts the report as the run's comment; a no-op off pull requests and without comment-on-pr. */
export function commentPoster(
  settings: Settings,
  postComment: CommentPoster | undefined,
  { env, log, limits, budget }: { env: Environment; log: StepLog; limits: Limits; budget: RunBudget },
): (report: StepReport) => Promise<void> {
  const target = settings.commentOnPr ? pullRequestOf(env) : undefined;
  if (settings.commentOnPr && !target) log.debug(words.noPullRequest(env['GITHUB_EVENT_NAME'] ?? ''));
  let posted: { id: number; body: string } | undefined;
  let failed = false; // One warning a run: a comment that failed once is not tried again.
  return async (report) => {
    if (!target) return;
    const body = renderComment(report);
    if (failed || body === posted?.body) return;
    try {
      const { id, done } = await budget.phase(limits.commentMs, (signal) =>
        (postComment ?? upsertComment)({
          token: settings.githubToken,
          apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
          ...target,
          marker: commentMarker(report.name),
          body,
          commentId: posted?.id,
          signal,
          limits,
        }),
      );
      posted = { id, body };
      log.info(words.commented(target.pullNumber, done));
    } catch (error) {
      failed = true;
      const reason = (error as Error | undefined)?.cause ?? error;
      // GitHub answers 404 for a repository the token may not see, 401 and 403 for a missing permission.
      const refused = [401, 403, 404].includes((error as { status?: number } | undefined)?.status ?? 0);
      const kind = error instanceof CommentSearchCapped ? 'capped' : refused ? 'refused' : 'other';
      log.warning(
        reason instanceof DeadlineExceeded
          ? words.commentFailed({ kind: 'deadline', ms: reason.ms })
          : words.commentFailed({ kind, error: errorText(error) }),
      );
    }
  };
}

function pullRequestOf(env: Environment): Pick<CommentRequest, 'owner' | 'repo' | 'pullNumber'> | undefined {
  if (!['pull_request', 'pull_request_target'].includes(env['GITHUB_EVENT_NAME'] ?? '')) return undefined;
  let event: { pull_request?: { number?: unknown }; repository?: { name?: unknown; owner?: { login?: unknown } } };
  try {
    event = JSON.parse(readFileSync(env['GITHUB_EVENT_PATH'] ?? '', 'utf8')) ?? {};
  } catch {
    return undefined;
  }
  const pullNumber = event.pull_request?.number;
  if (typeof pullNumber !== 'number') return undefined;
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (owner && repo) return { owner, repo, pullNumber };
  const { name, owner: { login } = {} } = event.repository ?? {};
  return typeof login === 'string' && typeof name === 'string' ? { owner: login, repo: name, pullNumber } : undefined;
}

/** Creates or updates the comment through @actions/github, which loads only to comment. */
export async function upsertComment(request: CommentRequest): Promise<{ id: number; done: 'created' | 'updated' }> {
  const { getOctokit } = await import('@actions/github');
  const { defaults } = await import('@actions/github/lib/utils');
  const { token, apiUrl, signal, owner, repo, pullNumber, marker, body, limits } = request;
  const capped = cappedFetch(defaults.request?.fetch ?? fetch, limits.maxGitHubResponseBytes);
  const octokit = getOctokit(token, { baseUrl: apiUrl, request: { fetch: capped, signal } });
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
      if (pages >= limits.maxCommentPages && /rel="next"/.test(page.headers.link ?? ''))
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
