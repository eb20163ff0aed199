// Caps the size of every answer body the SDK reads, so an endpoint that is not App Runner
// (a proxy's error page, a runaway stream) cannot fill the runner's memory. App Runner's
// largest answer here, a page of 100 connection summaries, is a few tens of kilobytes.

import { Transform, pipeline, type Readable } from 'node:stream';

import type { AppRunnerClient } from '@aws-sdk/client-apprunner';

import { AnswerTooLarge } from './errors.js';

interface RawAnswer {
  statusCode?: number;
  headers?: Record<string, string | undefined>;
  body?: unknown;
}

export function limitAnswerSize(client: AppRunnerClient, maxBytes: number): void {
  client.middlewareStack.add(
    (next) => async (args) => {
      const result = await next(args);
      const response = result.response as RawAnswer;
      const body = response.body as Readable | undefined;
      if (!body || typeof body.pipe !== 'function') return result;
      if (Number(response.headers?.['content-length'] ?? 0) > maxBytes) {
        body.destroy();
        // Kept hidden, as the SDK keeps the answer on the errors it throws.
        throw Object.defineProperty(new AnswerTooLarge(maxBytes), '$response', { value: response });
      }
      let seen = 0;
      const counter = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          seen += chunk.length;
          done(seen > maxBytes ? new AnswerTooLarge(maxBytes) : null, chunk);
        },
      });
      // pipeline tears the socket down when the limit stops the read.
      response.body = pipeline(body, counter, () => {});
      return result;
    },
    // Low priority runs it inside the deserializer: it sees the raw answer before it is read.
    { step: 'deserialize', name: 'limitAnswerSize', priority: 'low' },
  );
}
