// Builds the App Runner client the action uses: bounded timeouts, enough retries for
// org-wide bursts, a user agent naming the action, an answer size cap, and the proxy route.
// Loaded only once inputs are valid.

import { AppRunnerClient } from '@aws-sdk/client-apprunner';

import { limitAnswerSize } from './answer-size.js';
import { type Environment, configuredEndpoint } from './environment.js';
import { ConfigurationError } from './errors.js';
import { describeValue } from './input-error.js';
import type { Limits } from './limits.js';
import type { ProxyRouting } from './proxy.js';
import { ACTION_NAME, ACTION_VERSION } from './version.js';

export interface AppRunnerClientOptions {
  readonly region: string;
  readonly env: Environment;
  readonly limits: Limits;
  /** How calls reach the endpoint through a proxy, when one applies. */
  readonly routing: ProxyRouting | undefined;
}

export interface ObservedClient {
  readonly client: AppRunnerClient;
  /** The error of the most recent failed attempt, retried or not. */
  readonly lastAttemptError: () => unknown;
}

export function createAppRunnerClient({ region, env, limits, routing }: AppRunnerClientOptions): ObservedClient {
  const endpoint = routing?.endpoint ?? configuredEndpoint(env);
  const retryMode = env['AWS_RETRY_MODE'];
  const client = new AppRunnerClient({
    region,
    // Through a proxy, the client calls exactly the URL the proxy was chosen for.
    ...(endpoint && { endpoint }),
    maxAttempts: maxAttemptsFrom(env) ?? limits.maxAttempts,
    ...(retryMode && { retryMode }),
    requestHandler: {
      connectionTimeout: limits.connectionTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      // Without this a request past requestTimeout is only logged, never failed.
      throwOnRequestTimeout: true,
      // The SDK's own timeouts hold through the proxy: a request has no socket until the tunnel is up.
      ...(routing && { httpAgent: routing.httpAgent, httpsAgent: routing.httpsAgent }),
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
  limitAnswerSize(client, limits.maxAnswerBytes);
  return { client, lastAttemptError: () => lastAttemptError };
}

/** AWS_MAX_ATTEMPTS, which overrides the action's attempts as it overrides the SDK's. */
function maxAttemptsFrom(env: Environment): number | undefined {
  const raw = env['AWS_MAX_ATTEMPTS']?.trim();
  if (!raw) return undefined;
  const attempts = Number(raw);
  if (!Number.isSafeInteger(attempts) || attempts < 1) {
    throw new ConfigurationError(
      `AWS_MAX_ATTEMPTS must be a whole number of attempts, 1 or more (got ${describeValue(raw)}).`,
    );
  }
  return attempts;
}
