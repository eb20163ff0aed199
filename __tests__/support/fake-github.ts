// A local fake of the GitHub REST endpoints the PR comment uses, on 127.0.0.1 only:
//   GET   /repos/{owner}/{repo}/issues/{n}/comments   (page, per_page, Link header)
//   POST  /repos/{owner}/{repo}/issues/{n}/comments
//   PATCH /repos/{owner}/{repo}/issues/comments/{id}
// Every request is recorded with its Authorization header; a test can make it answer an
// error status or drop the connection.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';

import { listenOnLoopback } from './loopback-server.js';

export interface FakeComment {
  readonly id: number;
  readonly repo: string;
  readonly issue: number;
  readonly body: string;
  readonly user: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface RecordedRequest {
  readonly method: string;
  /** The path without the query string. */
  readonly path: string;
  readonly query: Record<string, string>;
  readonly authorization: string | undefined;
  /** The parsed JSON body, when there was one. */
  readonly body: unknown;
  /** The status answered; null when the connection was dropped. */
  status: number | null;
}

export type Failure = number | 'network';

export interface FakeGitHub {
  /** http://127.0.0.1:PORT, for GITHUB_API_URL. */
  readonly url: string;
  /** The comments of one issue or pull request, oldest first; of every repository unless `repo` is given. */
  comments(issue: number, repo?: string): FakeComment[];
  /** Adds a comment as if someone else had written it (default user `octocat`, repo `owner/repo`). */
  seedComment(comment: { issue: number; body: string; user?: string; repo?: string }): FakeComment;
  /** Every request in arrival order, failed and dropped ones too. */
  readonly requests: RecordedRequest[];
  /**
   * From now on, answer every request with this HTTP status (403, 404, ...) or drop its
   * connection ('network'); null goes back to normal. `times` limits it to that many requests.
   */
  failWith(failure: Failure | null, times?: number): void;
  /** Forgets comments, requests and failures. */
  reset(): void;
  close(): Promise<void>;
}

/** The login the fake gives comments written through the API. */
export const BOT_LOGIN = 'github-actions[bot]';

const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const LIST_OR_CREATE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/;
const UPDATE = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/;

const MESSAGES: Record<number, string> = {
  401: 'Requires authentication',
  403: 'Resource not accessible by integration',
  404: 'Not Found',
  422: 'Validation Failed',
  500: 'Server Error',
};

export async function startFakeGitHub(): Promise<FakeGitHub> {
  let comments: FakeComment[] = [];
  const requests: RecordedRequest[] = [];
  let failure: { kind: Failure; times: number } | null = null;
  let nextId = 1000;

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  const { url, close } = await listenOnLoopback(server);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const parsed = new URL(req.url ?? '/', url);
    let body: unknown;
    try {
      body = raw === '' ? undefined : JSON.parse(raw);
    } catch {
      body = raw;
    }
    const recorded: RecordedRequest = {
      method: req.method ?? '',
      path: parsed.pathname,
      query: Object.fromEntries(parsed.searchParams),
      authorization: req.headers.authorization,
      body,
      status: null,
    };
    requests.push(recorded);
    const reply = (status: number, payload: unknown, headers: Record<string, string> = {}) => {
      recorded.status = status;
      send(res, status, payload, headers);
    };

    if (failure) {
      const { kind } = failure;
      failure.times -= 1;
      if (failure.times <= 0) failure = null;
      if (kind === 'network') {
        req.socket.destroy();
        return;
      }
      return reply(kind, errorBody(kind));
    }

    const listOrCreate = LIST_OR_CREATE.exec(parsed.pathname);
    const update = UPDATE.exec(parsed.pathname);
    if (listOrCreate && req.method === 'GET') {
      const [, owner = '', repo = '', issue = ''] = listOrCreate;
      return list(`${owner}/${repo}`, Number(issue), parsed, reply);
    }
    if (!recorded.authorization) return reply(401, errorBody(401));
    if (listOrCreate && req.method === 'POST') {
      const [, owner = '', repo = '', issue = ''] = listOrCreate;
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string') return reply(422, errorBody(422));
      const now = new Date().toISOString();
      const comment: FakeComment = {
        id: nextId++,
        repo: `${owner}/${repo}`,
        issue: Number(issue),
        body: text,
        user: BOT_LOGIN,
        createdAt: now,
        updatedAt: now,
      };
      comments.push(comment);
      return reply(201, toWire(comment));
    }
    if (update && req.method === 'PATCH') {
      const [, owner = '', repo = '', id = ''] = update;
      const index = comments.findIndex((c) => c.id === Number(id) && c.repo === `${owner}/${repo}`);
      const existing = comments[index];
      if (!existing) return reply(404, errorBody(404));
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string') return reply(422, errorBody(422));
      const updated = { ...existing, body: text, updatedAt: new Date().toISOString() };
      comments[index] = updated;
      return reply(200, toWire(updated));
    }
    return reply(404, errorBody(404));
  }

  function list(
    repo: string,
    issue: number,
    parsed: URL,
    reply: (status: number, payload: unknown, headers?: Record<string, string>) => void,
  ): void {
    const perPage = Math.min(
      Math.max(Number(parsed.searchParams.get('per_page')) || DEFAULT_PER_PAGE, 1),
      MAX_PER_PAGE,
    );
    const page = Math.max(Number(parsed.searchParams.get('page')) || 1, 1);
    const all = comments.filter((c) => c.repo === repo && c.issue === issue);
    const lastPage = Math.max(Math.ceil(all.length / perPage), 1);
    const pageUrl = (n: number) => {
      const next = new URL(parsed.pathname, url);
      next.searchParams.set('per_page', String(perPage));
      next.searchParams.set('page', String(n));
      return next.href;
    };
    const links: string[] = [];
    if (page > 1) links.push(`<${pageUrl(page - 1)}>; rel="prev"`);
    if (page < lastPage) links.push(`<${pageUrl(page + 1)}>; rel="next"`, `<${pageUrl(lastPage)}>; rel="last"`);
    if (page > 1) links.push(`<${pageUrl(1)}>; rel="first"`);
    const slice = all.slice((page - 1) * perPage, page * perPage);
    reply(200, slice.map(toWire), links.length > 0 ? { link: links.join(', ') } : {});
  }

  function toWire(comment: FakeComment) {
    const [owner, repo] = comment.repo.split('/');
    return {
      id: comment.id,
      node_id: `IC_${comment.id}`,
      url: `${url}/repos/${owner}/${repo}/issues/comments/${comment.id}`,
      html_url: `https://github.com/${owner}/${repo}/pull/${comment.issue}#issuecomment-${comment.id}`,
      issue_url: `${url}/repos/${owner}/${repo}/issues/${comment.issue}`,
      body: comment.body,
      user: { login: comment.user, id: comment.user === BOT_LOGIN ? 41898282 : 583231, type: 'User' },
      created_at: comment.createdAt,
      updated_at: comment.updatedAt,
      author_association: comment.user === BOT_LOGIN ? 'NONE' : 'MEMBER',
    };
  }

  return {
    url,
    requests,
    comments(issue, repo) {
      return comments
        .filter((c) => c.issue === issue && (repo === undefined || c.repo === repo))
        .map((c) => ({ ...c }));
    },
    seedComment({ issue, body, user = 'octocat', repo = 'owner/repo' }) {
      const now = new Date().toISOString();
      const comment: FakeComment = { id: nextId++, repo, issue, body, user, createdAt: now, updatedAt: now };
      comments.push(comment);
      return { ...comment };
    },
    failWith(kind, times = Infinity) {
      failure = kind === null ? null : { kind, times };
    },
    reset() {
      comments = [];
      requests.length = 0;
      failure = null;
    },
    close,
  };
}

function errorBody(status: number) {
  return {
    message: MESSAGES[status] ?? 'Error',
    documentation_url: 'https://docs.github.com/rest',
    status: `${status}`,
  };
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) return;
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-github-media-type': 'github.v3; format=json',
    ...headers,
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (text += chunk));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}
