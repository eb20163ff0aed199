// What a failure reads like when AWS calls go through a proxy: which proxy (never its user or
// password), what went wrong with it, and what to check. No imports: errors.ts loads this
// module on every path, proxy or not.

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

// One process, one App Runner endpoint, one route: noted when the proxy agents are built,
// so that a timeout or a 407 (errors the SDK builds) can still be explained by the proxy.
let routeInUse: { readonly route: ProxyRoute; readonly secrets: readonly string[] } | undefined;

/** Records the route AWS calls take from now on, and the texts no message may show. */
export function noteProxyInUse(route: ProxyRoute, secrets: readonly string[]): void {
  routeInUse = { route, secrets: secrets.filter((secret) => secret !== '') };
}

/** Forgets the route (tests). */
export function forgetProxyInUse(): void {
  routeInUse = undefined;
}

/**
 * The proxy itself failed an App Runner call: it refused the tunnel (407, 403, ...), or it
 * could not be reached. Thrown by the proxy agents in place of the socket error, so the
 * SDK's retry strategy and describe() see what happened. A refusal or a proxy that is not
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
    const transient = networkCode === undefined || TRANSIENT_CODES.has(networkCode);
    if ((status ?? 0) >= 500 || (status === undefined && transient)) {
      this.$retryable = { throttling: false };
    }
  }
}

const TRANSIENT_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EAI_AGAIN']);

interface ErrorShape {
  name?: string;
  code?: unknown;
  operation?: string;
  cause?: unknown;
  $metadata?: { httpStatusCode?: number; attempts?: number };
}

/**
 * The failure message `described` (what errors.ts made of `error`), told in terms of the proxy
 * when one carried the call: replaced when the proxy failed, extended with the route when the
 * call got no answer through it, and never with the proxy's credentials in it.
 */
export function explainProxyFailure(described: string, error: unknown, lastAttempt?: unknown): string {
  if (!routeInUse && !isProxyError(shape(error).cause) && !isProxyError(lastAttempt)) return described;
  return redact(explain(described, shape(error), shape(lastAttempt)));
}

function explain(described: string, error: ErrorShape, lastAttempt: ErrorShape): string {
  const operation = error.operation ?? 'the App Runner call';
  const failed = [error.cause, lastAttempt].find(isProxyError);
  if (failed) return describeProxyError(failed, operation);
  if (!routeInUse) return described;
  const { route } = routeInUse;
  const cause = shape(error.cause);
  // Only a proxy answers 407; AWS never does (the absolute-form request of an http:// endpoint).
  if ([cause, lastAttempt].some((e) => e.$metadata?.httpStatusCode === 407)) {
    return refusedCredentials(route, operation, cause.$metadata?.attempts);
  }
  // No HTTP answer came back through the proxy (a timeout, a socket or TLS error, the deadline):
  // what errors.ts said, then the route to check. An answer of App Runner's is left as it is.
  const deadline = cause.name === 'DeadlineExceeded';
  const unanswered = deadline ? lastAttempt : cause;
  const network = deadline || cause.name === 'TimeoutError' || typeof cause.code === 'string';
  if (!network || unanswered.$metadata?.httpStatusCode !== undefined) return described;
  return `${described} ${routeHint(route, unanswered)}`;
}

function describeProxyError(error: ProxyError, operation: string): string {
  const { route, status, statusText } = error;
  const attempts = shape(error).$metadata?.attempts;
  if (status === 407) return refusedCredentials(route, operation, attempts);
  const { proxy, variable, target } = route;
  const answer = `${status} ${statusText}`.trimEnd();
  if (status !== undefined && status >= 500) {
    return (
      `The proxy ${proxy} (from ${variable}) could not reach ${target} for ${operation} ` +
      `(${answer})${afterAttempts(attempts)}. Check that the proxy can reach AWS, ${goDirect(route)}.`
    );
  }
  if (status !== undefined) {
    return (
      `The proxy ${proxy} (from ${variable}) refused to connect to ${target} for ${operation} (${answer}). ` +
      `Ask for ${target} to be added to the proxy's allow-list, ${goDirect(route)}.`
    );
  }
  const what = `Could not connect to the proxy ${proxy} (from ${variable}) for ${operation}`;
  if (isCertificateCode(error.networkCode)) {
    return `${what} (${error.networkCode}): give the runner the CA certificate of its https:// URL with NODE_EXTRA_CA_CERTS.`;
  }
  return (
    `${what} (${error.networkCode ?? 'it closed the connection without answering'})${afterAttempts(attempts)}. ` +
    `Check that the proxy is running and that ${variable} names its host and port, ${goDirect(route)}.`
  );
}

function refusedCredentials(route: ProxyRoute, operation: string, attempts: number | undefined): string {
  const { proxy, variable } = route;
  const form = `${variable}=http://user:password@host:port, with special characters in them percent-encoded`;
  return route.withCredentials
    ? `The proxy ${proxy} (from ${variable}) did not accept the credentials in ${variable} for ${operation} ` +
        `(407 Proxy Authentication Required)${afterAttempts(attempts)}. Check the user and password: ${form}.`
    : `The proxy ${proxy} (from ${variable}) requires credentials for ${operation} ` +
        `(407 Proxy Authentication Required)${afterAttempts(attempts)}. Give them in the URL: ${form}.`;
}

/** What to check when a call through the proxy got no answer: the proxy, or trust in its certificate. */
function routeHint(route: ProxyRoute, unanswered: ErrorShape): string {
  const { proxy, variable, target } = route;
  if (isCertificateCode(unanswered.code)) {
    return (
      `AWS calls go through the proxy ${proxy} (from ${variable}); if it inspects TLS, ` +
      `give the runner its CA certificate with NODE_EXTRA_CA_CERTS.`
    );
  }
  return (
    `AWS calls go through the proxy ${proxy} (from ${variable}): check that it is up and lets the runner ` +
    `reach ${target}, ${goDirect(route)}.`
  );
}

/** Node's codes for a certificate it does not trust: a TLS-inspecting proxy's, typically. */
function isCertificateCode(code: unknown): boolean {
  return typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_(VERIFY|GET_ISSUER)/.test(code);
}

function goDirect(route: ProxyRoute): string {
  return `or, if the runner can reach AWS without it, add ${route.target.replace(/:\d+$/, '')} to no_proxy`;
}

function afterAttempts(attempts: number | undefined): string {
  return attempts && attempts > 1 ? ` after ${attempts} attempts` : '';
}

function redact(text: string): string {
  return (routeInUse?.secrets ?? []).reduce((result, secret) => result.replaceAll(secret, '***'), text);
}

function isProxyError(error: unknown): error is ProxyError {
  return shape(error).name === 'ProxyError';
}

function shape(error: unknown): ErrorShape {
  return typeof error === 'object' && error !== null ? (error as ErrorShape) : {};
}
