// The pull request a run belongs to, and its one comment, posted once the connection is known and updated at the end.

import { readFileSync } from 'node:fs';

import type { CommentTarget, upsertComment } from './pr-comment.js';
import { CommentSearchCapped, DeadlineExceeded, errorText } from './errors.js';
import type { Settings } from './inputs.js';
import { log as words } from './messages.js';
import type { Environment, Limits } from './model.js';
import type { StepLog, StepReport } from './outcome.js';
import { commentMarker, renderComment } from './render.js';
import type { RunBudget } from './run-budget.js';

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
      const post = postComment ?? (await import('./pr-comment.js')).upsertComment;
      const { id, done } = await budget.phase(limits.commentMs, (signal) =>
        post({
          token: settings.githubToken,
          target,
          apiUrl: env['GITHUB_API_URL'] || 'https://api.github.com',
          marker: commentMarker(report.name),
          body,
          commentId: posted?.id,
          signal,
          maxPages: limits.maxCommentPages,
          maxResponseBytes: limits.maxGitHubResponseBytes,
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

function pullRequestOf(env: Environment): CommentTarget | undefined {
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
