// What can go wrong: the action's errors, and classifyError, which turns anything thrown into one problem of a closed set.

import type { AccountConnection, ProxyRoute } from './model.js';
import { truncate } from './text.js';

export class InputError extends Error {
  override name = 'InputError';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
  }
}

export function invalidInput(problem: string): never {
  throw new InputError([problem]);
}

export class ResponseTooLarge extends Error {
  override name = 'ResponseTooLarge';
  constructor(readonly limitBytes: number) {
    super(`the response is larger than ${limitBytes} bytes`);
  }
}

export class CommentSearchCapped extends Error {
  override name = 'CommentSearchCapped';
  constructor(readonly comments: number) {
    super(`this connection's comment is not among the first ${comments} comments`);
  }
}

// No `cause` or `code`, or the SDK would find a socket error in them and retry a dead proxy.
export class ProxyError extends Error {
  override name = 'ProxyError';
  readonly $retryable?: { throttling: boolean };
  readonly failure: ProxyFailure;
  constructor(
    readonly route: ProxyRoute,
    status: number | undefined,
    networkCode: string | undefined,
  ) {
    super(`proxy ${route.proxy}: ${status ?? networkCode ?? 'closed the connection'}`);
    this.failure =
      status === undefined
        ? { kind: 'unreachable', code: networkCode }
        : { kind: status === 407 ? 'auth' : status >= 500 ? 'upstream' : 'refused', status };
    const dropped = status === undefined && /^(ECONNRESET|EPIPE|ETIMEDOUT|EAI_AGAIN)?$/.test(networkCode ?? '');
    if ((status ?? 0) >= 500 || dropped) this.$retryable = { throttling: false };
  }
}

export class ProblemError extends Error {
  override name = 'ProblemError';
  constructor(readonly problem: Problem) {
    super(problem.kind);
  }
}

/** App Runner's response to `operation` has a `field` the action cannot use: checked at the boundary, never an output. */
export const malformedResponse = (operation: string, field: string, problem: string) =>
  new ProblemError({ kind: 'malformed-response', operation, field, problem });

export class CallError extends Error {
  override name = 'CallError';
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(`${operation} failed`);
  }
}

type Call = { readonly operation: string; readonly attempts?: number; readonly awsSaid?: string };

export type Problem =
  | { readonly kind: 'no-region' }
  | { readonly kind: 'bad-configured-region' | 'unsupported-region'; readonly region: string; readonly source?: string }
  | { readonly kind: 'bad-max-attempts' | 'bad-proxy-variable'; readonly value: string }
  | (Call & { readonly kind: 'no-credentials' | 'credentials-expired' | 'access-denied' | 'closed-to-new-customers' })
  | (Call & { readonly kind: 'invalid-request' | 'credentials-rejected'; readonly name?: string })
  | (Call & { readonly kind: 'quota'; readonly connections?: readonly AccountConnection[] })
  | (Call & { readonly kind: 'throttled'; readonly queuedMs?: number })
  | (Call & { readonly kind: 'server-error'; readonly status: number | undefined; readonly name: string })
  | (Call & { readonly kind: 'no-response' | 'certificate'; readonly code: string })
  | (Call & { readonly kind: 'malformed-response'; readonly field: string; readonly problem: string })
  | (Call & { readonly kind: 'foreign-response'; readonly response: ForeignResponse })
  | (Call & { readonly kind: 'proxy'; readonly failure: ProxyFailure; readonly route: ProxyRoute })
  | (Call & {
      readonly kind: 'gave-up';
      readonly afterMs: number;
      readonly last?: Problem;
      readonly lastError?: string;
    })
  | { readonly kind: 'unexpected'; readonly text: string };

export interface ForeignResponse {
  readonly what: 'not-app-runner' | 'redirect' | 'too-large' | 'cut-off';
  readonly status: number | undefined;
  readonly contentType?: string;
  /** A redirect's target, or the network code that cut the body off. */
  readonly detail?: string;
}

export type ProxyFailure =
  | { readonly kind: 'auth' }
  | { readonly kind: 'refused' | 'upstream'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly code: string | undefined };

interface SdkError {
  name?: string;
  message?: string;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
  $fault?: 'client' | 'server';
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

export interface ClassifyContext {
  readonly proxy?: ProxyRoute;
  readonly lastAttempt?: unknown;
  readonly queuedMs?: number;
}

const NETWORK_CODE = /^(ECONNREFUSED|ECONNRESET|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EPIPE|EHOSTUNREACH|ENETUNREACH)$/;
const CERTIFICATE_CODE = /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/;
const CREDENTIALS_REJECTED =
  /^(UnrecognizedClient|InvalidClientTokenId|InvalidSignature|MissingAuthenticationToken|SignatureDoesNotMatch)(Exception)?$/;
const THROTTLING = /^(ThrottlingException|Throttling|TooManyRequestsException|RequestLimitExceeded)$/;

export function classifyError(error: unknown, context: ClassifyContext = {}): Problem {
  if (error instanceof ProblemError) return error.problem;
  if (!(error instanceof CallError)) return { kind: 'unexpected', text: errorText(error) };
  const { operation, cause } = error;
  if (!(cause instanceof DeadlineExceeded)) return classifyCause(operation, cause, context);
  const { lastAttempt } = context;
  const last = lastAttempt === undefined ? undefined : classifyCause(operation, lastAttempt, context);
  // A proxy that refused, or wants credentials, is the whole story, however long the retries took.
  if (last?.kind === 'proxy') return last;
  return { kind: 'gave-up', operation, afterMs: cause.ms, ...(last && { last, lastError: errorText(lastAttempt) }) };
}

function classifyCause(operation: string, cause: unknown, { proxy, queuedMs }: ClassifyContext): Problem {
  const sdk: SdkError = typeof cause === 'object' && cause !== null ? cause : {};
  const name = (sdk.name ?? '').replace(/^.*#/, '');
  const status = sdk.$metadata?.httpStatusCode;
  const attempts = sdk.$metadata?.attempts;
  const call = { operation, ...(attempts !== undefined && attempts > 1 && { attempts }) };
  const said = { ...call, ...(sdk.message && { awsSaid: truncate(sdk.message) }) };
  const code = typeof sdk.code === 'string' ? sdk.code : undefined;
  if (cause instanceof ProxyError) {
    const { failure, route } = cause;
    // The proxy's own certificate (an https:// proxy) is not trusted: the advice is the certificate's.
    if (failure.kind === 'unreachable' && CERTIFICATE_CODE.test(failure.code ?? '')) {
      return { kind: 'certificate', ...call, code: failure.code ?? '' };
    }
    return { kind: 'proxy', ...call, route, failure };
  }
  // Only a proxy answers 407; AWS never does.
  if (proxy && status === 407) return { kind: 'proxy', ...call, route: proxy, failure: { kind: 'auth' } };
  const response = foreignResponse(sdk, code);
  if (response) return { kind: 'foreign-response', ...call, response };
  if (name === 'CredentialsProviderError') return { kind: 'no-credentials', ...call };
  if (/^ExpiredToken(Exception)?$/.test(name)) return { kind: 'credentials-expired', ...call };
  if (CREDENTIALS_REJECTED.test(name)) return { kind: 'credentials-rejected', ...said, name };
  if (/^AccessDenied(Exception)?$/.test(name)) {
    return { kind: /new customers?/i.test(sdk.message ?? '') ? 'closed-to-new-customers' : 'access-denied', ...said };
  }
  if (name === 'ServiceQuotaExceededException') return { kind: 'quota', ...said };
  if (THROTTLING.test(name) || status === 429) return { kind: 'throttled', ...call, ...(queuedMs && { queuedMs }) };
  if ((status ?? 0) >= 500 || sdk.$fault === 'server') return { kind: 'server-error', ...said, status, name };
  if (code && CERTIFICATE_CODE.test(code)) return { kind: 'certificate', ...call, code };
  if (name === 'TimeoutError' || (code && NETWORK_CODE.test(code)))
    return { kind: 'no-response', ...call, code: code ?? name };
  if (name === 'InvalidRequestException') return { kind: 'invalid-request', ...said };
  return { kind: 'unexpected', text: `${operation} failed: ${errorText(cause)}` };
}

function foreignResponse(sdk: SdkError, code: string | undefined): ForeignResponse | undefined {
  const response = sdk.$response;
  if (!response) return undefined;
  const status = response.statusCode ?? sdk.$metadata?.httpStatusCode;
  const { 'content-type': type, location } = response.headers ?? {};
  const seen = { status, ...(type && { contentType: truncate(type, 80) }) };
  if (sdk.name === 'ResponseTooLarge') return { what: 'too-large', ...seen };
  if (code && NETWORK_CODE.test(code)) return { what: 'cut-off', ...seen, detail: code };
  // App Runner names every error it answers with (`__type`); the SDK calls a nameless one Unknown.
  if (!/Deserialization error/.test(sdk.message ?? '') && !/^Unknown(Error)?$/.test(sdk.name ?? '')) return undefined;
  const redirect = status !== undefined && status >= 300 && status < 400 && location;
  return redirect
    ? { what: 'redirect', ...seen, detail: truncate(location, 120) }
    : { what: 'not-app-runner', ...seen };
}

export function errorText(error: unknown): string {
  if (error instanceof Error) return truncate(error.message ? `${error.name}: ${error.message}` : error.name);
  return truncate(String(error));
}

export class DeadlineExceeded extends Error {
  override name = 'DeadlineExceeded';
  constructor(readonly ms: number) {
    super(`deadline of ${ms} ms exceeded`);
  }
}
