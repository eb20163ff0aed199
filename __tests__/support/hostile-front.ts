// A misbehaving front for a local server (the App Runner endpoint, the GitHub fake), on
// 127.0.0.1 only: it forwards every request, and answers the ones a test picks the way a
// broken proxy, a gateway or an impostor would. The servers behind it stay true to their
// APIs; everything hostile lives here.
import { type IncomingMessage, type ServerResponse, createServer, request as httpRequest } from 'node:http';

import type { TestContext } from 'vitest';

import { type LocalAppRunner, startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import type { LocalAppRunnerOptions } from '../../local/apprunner-endpoint.js';
import { listenOnLoopback } from './loopback-server.js';

export interface FrontRequest {
  readonly method: string;
  /** Path and query, as received. */
  readonly url: string;
  /** What `keyOf` made of it: an App Runner operation, a GitHub route. */
  readonly key: string;
}

/** An answer from the server behind, with its body parsed as JSON when it is JSON. */
export interface Answer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: unknown;
}

export type Misbehaviour =
  /** A fixed answer instead of the server's: an error page, a redirect, an empty 404. */
  | {
      readonly kind: 'answer';
      readonly status: number;
      readonly headers?: Record<string, string>;
      readonly body?: string;
    }
  /** The server's answer, changed (malformed fields, other headers), or held back until the promise settles. */
  | { readonly kind: 'edit'; readonly edit: (answer: Answer, request: FrontRequest) => Answer | Promise<Answer> }
  /** The connection drops before any answer. */
  | { readonly kind: 'reset' }
  /** The request is accepted and never answered. */
  | { readonly kind: 'hang' }
  /** The server's answer, cut off after `bytes` bytes of its body (the length header still promises all). */
  | { readonly kind: 'truncate'; readonly bytes: number }
  /** The server's answer, its body sent one byte every `intervalMs`. */
  | { readonly kind: 'trickle'; readonly intervalMs: number }
  /** A body of `bytes` bytes, with or without a Content-Length that says so. */
  | { readonly kind: 'flood'; readonly bytes: number; readonly contentType: string; readonly declareLength: boolean };

export interface HostileFront {
  readonly url: string;
  /** Every request that reached the front, in order. */
  readonly requests: FrontRequest[];
  /** The next `times` requests whose key is `key` ('*' for any) get `behaviour`. */
  misbehave(key: string, behaviour: Misbehaviour, times?: number): void;
  close(): Promise<void>;
}

/** What tells requests apart for `misbehave`: from the request and its body. */
export type KeyOf = (req: IncomingMessage, body: Buffer) => string;

/** The App Runner operation of a request: X-Amz-Target without the `AppRunner.` prefix. */
export const appRunnerOperation = (req: IncomingMessage): string =>
  String(req.headers['x-amz-target'] ?? '').replace(/^AppRunner\./, '');

/** `METHOD /path` of a GitHub API request, without the query. */
export const githubRoute = (req: IncomingMessage): string => `${req.method} ${(req.url ?? '').split('?')[0]}`;

/**
 * A local App Runner endpoint of `region` (with `options`) behind a front keyed by `keyOf` (the
 * operation, unless a test tells requests of one operation apart), both closed when the test finishes.
 */
export async function appRunnerBehindFront(
  { onTestFinished }: Pick<TestContext, 'onTestFinished'>,
  region: string,
  keyOf: KeyOf = appRunnerOperation,
  options: LocalAppRunnerOptions = {},
): Promise<{ server: LocalAppRunner; front: HostileFront }> {
  const server = await startLocalAppRunner({ region, ...options });
  const front = await startHostileFront(server.url, keyOf);
  onTestFinished(async () => {
    await front.close();
    await server.close();
  });
  return { server, front };
}

export async function startHostileFront(targetUrl: string, keyOf: KeyOf): Promise<HostileFront> {
  const target = new URL(targetUrl);
  const rules: { key: string; behaviour: Misbehaviour; times: number }[] = [];
  const requests: FrontRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  server.keepAliveTimeout = 61_000;
  const { url, close } = await listenOnLoopback(server);

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readAll(req);
    const seen: FrontRequest = { method: req.method ?? '', url: req.url ?? '/', key: keyOf(req, body) };
    requests.push(seen);
    const behaviour = take(seen.key);

    if (behaviour?.kind === 'hang') return;
    if (behaviour?.kind === 'reset') return void req.socket.destroy();
    if (behaviour?.kind === 'answer') {
      const text = behaviour.body ?? '';
      res.writeHead(behaviour.status, { 'content-length': Buffer.byteLength(text), ...behaviour.headers });
      return void res.end(text);
    }
    if (behaviour?.kind === 'flood') return flood(res, behaviour);

    const answer = await forward(req, body);
    if (behaviour?.kind === 'edit') {
      const edited = await behaviour.edit({ ...answer, body: parseJson(answer.body) }, seen);
      const text = typeof edited.body === 'string' ? edited.body : JSON.stringify(edited.body);
      res.writeHead(edited.status, { ...withoutLength(edited.headers), 'content-length': Buffer.byteLength(text) });
      return void res.end(text);
    }
    res.writeHead(answer.status, { ...withoutLength(answer.headers), 'content-length': answer.body.length });
    if (behaviour?.kind === 'truncate') {
      res.write(answer.body.subarray(0, behaviour.bytes));
      return void setTimeout(() => req.socket.destroy(), 20);
    }
    if (behaviour?.kind === 'trickle') {
      for (const byte of answer.body) {
        if (res.destroyed) return;
        res.write(Buffer.from([byte]));
        await new Promise((resolve) => setTimeout(resolve, behaviour.intervalMs));
      }
    }
    res.end(behaviour?.kind === 'trickle' ? undefined : answer.body);
  }

  function take(key: string): Misbehaviour | undefined {
    const index = rules.findIndex((rule) => rule.key === '*' || rule.key === key);
    const rule = rules[index];
    if (!rule) return undefined;
    rule.times -= 1;
    if (rule.times <= 0) rules.splice(index, 1);
    return rule.behaviour;
  }

  function forward(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
    return new Promise((resolve, reject) => {
      const outgoing = httpRequest(
        {
          host: target.hostname,
          port: target.port,
          method: req.method,
          path: req.url,
          headers: { ...req.headers, host: target.host },
        },
        (answer) => {
          readAll(answer).then(
            (data) => resolve({ status: answer.statusCode ?? 502, headers: flatHeaders(answer), body: data }),
            reject,
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  }

  return {
    url,
    requests,
    misbehave(key, behaviour, times = 1) {
      rules.push({ key, behaviour, times });
    },
    close,
  };
}

/** Writes `bytes` bytes as fast as the reader takes them, or until it goes away. */
async function flood(
  res: ServerResponse,
  { bytes, contentType, declareLength }: { bytes: number; contentType: string; declareLength: boolean },
): Promise<void> {
  res.writeHead(200, { 'content-type': contentType, ...(declareLength ? { 'content-length': bytes } : {}) });
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  while (sent < bytes && !res.destroyed) {
    const piece = chunk.subarray(0, Math.min(chunk.length, bytes - sent));
    sent += piece.length;
    if (!res.write(piece)) {
      await new Promise<void>((resolve) => {
        // One pair of listeners at a time: a flood waits for many drains.
        const done = () => {
          res.off('drain', done);
          res.off('close', done);
          resolve();
        };
        res.once('drain', done);
        res.once('close', done);
      });
    }
  }
  if (!res.destroyed) res.end();
}

function readAll(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function flatHeaders(message: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function withoutLength(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name !== 'content-length' && name !== 'transfer-encoding'),
  );
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return body.toString('utf8');
  }
}
