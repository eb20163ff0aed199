// What can go wrong, as values: each class carries the facts failure.ts words. None of them
// words a message for a person beyond its own short `message`; failure.ts does that, once.

import type { AccountConnection } from './aws-answers.js';
import { formatBound } from './limits.js';

/** A failed App Runner call: which operation, and what the SDK threw. */
export class AwsCallError extends Error {
  override name = 'AwsCallError';
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

/** An answer from App Runner that the action cannot use: which operation, which field, what is wrong. */
export class MalformedAnswer extends Error {
  override name = 'MalformedAnswer';
  constructor(
    readonly operation: string,
    readonly field: string,
    readonly problem: string,
  ) {
    super(`App Runner's answer to ${operation} was malformed: ${field} ${problem}.`);
  }
}

/** An answer body larger than App Runner ever sends; read no further. */
export class AnswerTooLarge extends Error {
  override name = 'AnswerTooLarge';
  constructor(readonly limitBytes: number) {
    super(`the answer is larger than ${limitBytes} bytes`);
  }
}

/** The reason given to a deadline's AbortSignal. */
export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`deadline of ${formatBound(ms)} exceeded`);
  }
}

/** The environment or the AWS configuration does not let the run start; the message says why and what to do. */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** The account's connection quota refused a create; `connections` are the account's connections in the region. */
export class QuotaReached extends Error {
  override name = 'QuotaReached';
  constructor(
    readonly createError: AwsCallError,
    readonly connections: readonly AccountConnection[],
  ) {
    super('the connection quota is reached');
  }
}

/** The proxy App Runner calls go through, as it may be shown in a log: no credentials. */
export interface ProxyRoute {
  /** `scheme://host:port` of the proxy. */
  readonly proxy: string;
  /** The variable that named it: `https_proxy`, `HTTPS_PROXY`, `http_proxy` or `HTTP_PROXY`. */
  readonly variable: string;
  /** `host:port` of the App Runner endpoint the proxy is asked to reach. */
  readonly target: string;
  /** Whether the proxy URL carried a user or a password. */
  readonly withCredentials: boolean;
}

const TRANSIENT_PROXY_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

/**
 * The proxy itself failed an App Runner call: it refused the tunnel (407, 403, ...), or it
 * could not be reached. Thrown by the proxy agents in place of the socket error, so the
 * SDK's retry strategy and the wording see what happened. A refusal or a proxy that is not
 * there ends the call at once; a proxy that answered 5xx or dropped the connection may be
 * retried, as the SDK retries the same faults of AWS itself.
 */
export class ProxyError extends Error {
  override name = 'ProxyError';
  /** The SDK's retry trait: present only on the faults worth another attempt. */
  readonly $retryable?: { throttling: boolean };

  constructor(
    readonly route: ProxyRoute,
    /** The proxy's answer to CONNECT, when it answered. */
    readonly status: number | undefined,
    readonly statusText: string,
    /**
     * Node's error code when the proxy could not be reached (`ECONNREFUSED`, ...). Not named
     * `code`: the SDK retries any error whose `code` is a socket error's.
     */
    readonly networkCode: string | undefined,
  ) {
    super(
      status === undefined
        ? `could not connect to the proxy ${route.proxy} (${networkCode ?? 'it closed the connection'})`
        : `the proxy ${route.proxy} answered ${status} ${statusText} to CONNECT ${route.target}`.trimEnd(),
    );
    // No `cause`: the SDK would find a transient socket error in it and retry a dead proxy.
    const transient = networkCode === undefined || TRANSIENT_PROXY_CODES.has(networkCode);
    if ((status ?? 0) >= 500 || (status === undefined && transient)) {
      this.$retryable = { throttling: false };
    }
  }
}

/** The search for this connection's comment read the page cap and GitHub had more. */
export class CommentSearchCapped extends Error {
  override name = 'CommentSearchCapped';
  constructor(readonly comments: number) {
    super(`this connection's comment is not among the first ${comments} comments of the pull request`);
  }
}
