// Builds the App Runner client the action uses: bounded timeouts, enough retries for
// org-wide bursts, a user agent naming the action. Loaded only once inputs are valid.

import { AppRunnerClient } from '@aws-sdk/client-apprunner';

import { limitAnswerSize } from './answer-size.js';
import type { ProxyRouting } from './proxy.js';
import { ACTION_NAME, ACTION_VERSION } from './version.js';

/** Per attempt: time to open a connection, and to get an answer once connected. */
export const CONNECTION_TIMEOUT_MS = 3_000;
export const REQUEST_TIMEOUT_MS = 5_000;
// Capped exponential backoff with jitter over 10 attempts rides out dozens of runs
// hitting App Runner's few-calls-a-second limit together; the SDK's default 3 does not.
export const DEFAULT_MAX_ATTEMPTS = 10;

export interface ObservedClient {
  readonly client: AppRunnerClient;
  /** The error of the most recent failed attempt, retried or not. */
  readonly lastAttemptError: () => unknown;
}

export function createAppRunnerClient(
  region: string,
  env: NodeJS.ProcessEnv = process.env,
  proxy?: ProxyRouting,
): ObservedClient {
  const client = new AppRunnerClient({
    region,
    // Through a proxy, the client calls exactly the URL the proxy was chosen for.
    ...(proxy && { endpoint: proxy.endpoint }),
    // AWS_MAX_ATTEMPTS (read by the SDK when this is left out) overrides our default.
    ...(env['AWS_MAX_ATTEMPTS'] ? {} : { maxAttempts: DEFAULT_MAX_ATTEMPTS }),
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: REQUEST_TIMEOUT_MS,
      // Without this a request past requestTimeout is only logged, never failed.
      throwOnRequestTimeout: true,
      // The SDK's own timeouts hold through the proxy: a request has no socket until the tunnel is up.
      ...(proxy && { httpAgent: proxy.httpAgent, httpsAgent: proxy.httpsAgent }),
    },
    customUserAgent: [[ACTION_NAME, ACTION_VERSION]],
  });

  let lastAttemptError: unknown;
  // The deserialize step runs once per attempt, inside the retry loop, so it sees
  // every failed attempt, including those the retry strategy hides.
  client.middlewareStack.add(
    (next) => async (args) => {
      try {
        return await next(args);
      } catch (error) {
        // An abort is the deadline speaking; the attempt before it says why time ran out.
        if ((error as Error | undefined)?.name !== 'AbortError') lastAttemptError = error;
        throw error;
      }
    },
    // High priority puts it outside the deserializer, so it also sees the errors AWS answers with.
    { step: 'deserialize', name: 'recordLastAttemptError', priority: 'high' },
  );
  limitAnswerSize(client);
  return { client, lastAttemptError: () => lastAttemptError };
}
