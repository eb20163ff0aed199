// The pull request a run belongs to, read from the event the runner describes in the environment
// (GITHUB_EVENT_NAME, GITHUB_EVENT_PATH, GITHUB_REPOSITORY). Loads nothing of @actions/github,
// which only a run that comments needs.

import { readFileSync } from 'node:fs';

import type { Environment } from './environment.js';

export const PULL_REQUEST_EVENTS: readonly string[] = ['pull_request', 'pull_request_target'];

export interface CommentTarget {
  readonly owner: string;
  readonly repo: string;
  readonly pullNumber: number;
}

/** The pull request of this run, or undefined on other events (or without a readable event). */
export function pullRequestOf(env: Environment): CommentTarget | undefined {
  if (!PULL_REQUEST_EVENTS.includes(env['GITHUB_EVENT_NAME'] ?? '')) return undefined;
  const event = readEvent(env['GITHUB_EVENT_PATH']);
  const pullNumber = event?.pull_request?.number;
  if (typeof pullNumber !== 'number') return undefined;
  const [owner, repo] = (env['GITHUB_REPOSITORY'] ?? '').split('/');
  if (owner && repo) return { owner, repo, pullNumber };
  const repository = event?.repository;
  if (typeof repository?.owner?.login !== 'string' || typeof repository.name !== 'string') return undefined;
  return { owner: repository.owner.login, repo: repository.name, pullNumber };
}

interface PullRequestEvent {
  pull_request?: { number?: unknown };
  repository?: { name?: unknown; owner?: { login?: unknown } };
}

function readEvent(path: string | undefined): PullRequestEvent | undefined {
  if (!path) return undefined;
  try {
    const event: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof event === 'object' && event !== null ? (event as PullRequestEvent) : undefined;
  } catch {
    return undefined;
  }
}
