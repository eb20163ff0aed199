// The pull-request comment, from the step's side: which pull request a run belongs to (read from the
// event the runner describes; nothing of @actions/github loads for that), and one comment per
// connection kept current through the run: posted as soon as the connection is known, updated when
// the run ends. Every post is bounded; a failed one is a warning, never the step's failure.

import { readFileSync } from 'node:fs';

import { CommentSearchCapped, DeadlineExceeded, errorText } from './errors.js';
import type { Settings } from './inputs.js';
import { log as words } from './messages.js';
import type { Environment, Limits } from './model.js';
import { type Rendered, commentMarker, renderComment } from './render.js';
import type { RunBudget } from './run-budget.js';
import type { StepDependencies } from './step.js';

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}

export interface CommentRequest {
  readonly token: string;
  readonly target: CommentTarget;
  /** GITHUB_API_URL: GitHub Enterprise Server, or a test's local server. */
  readonly apiUrl: string;
  /** The hidden text that finds this connection's comment. */
  readonly marker: string;
  readonly body: string;
  /** The comment this run posted already: updated without a search. */
  readonly commentId: number | undefined;
  readonly signal: AbortSignal;
  readonly maxPages: number;
  readonly maxResponseBytes: number;
}

export type CommentPoster = (request: CommentRequest) => Promise<{ id: number; done: 'created' | 'updated' }>;

/** Posts the report as the run's comment; a no-op off pull requests and without comment-on-pr. */
export function commentPoster(
  settings: Settings,
  { env, log, postComment }: StepDependencies,
  limits: Limits,
  budget: RunBudget,
): (report: Rendered) => Promise<void> {
  const target = settings.commentOnPr ? pullRequestOf(env) : undefined;
  if (settings.commentOnPr && !target) log.debug(words.noPullRequest(env['GITHUB_EVENT_NAME'] ?? ''));
  let posted: { id: number; body: string } | undefined;
  return async (report) => {
    if (!target) return;
    const body = renderComment(report);
    if (body === posted?.body) return;
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
      const reason = (error as Error | undefined)?.cause ?? error;
      if (reason instanceof DeadlineExceeded) log.warning(words.commentFailed({ kind: 'deadline', ms: reason.ms }));
      else if (error instanceof CommentSearchCapped)
        log.warning(words.commentFailed({ kind: 'capped', error: errorText(error) }));
      else log.warning(words.commentFailed({ kind: 'other', error: errorText(error) }));
    }
  };
}

/** The pull request of this run, or undefined on other events (or without a readable event). */
export function pullRequestOf(env: Environment): CommentTarget | undefined {
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
