// Behaviour 13, the rules: which URL the client calls, whether a proxy carries it (the Actions
// toolkit's reading of https_proxy / http_proxy / no_proxy, either case), what may be shown of
// the proxy, and what a failure through it says. Proxies and sockets are in integration/ and e2e/.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { AwsCallError, DeadlineExceeded, describeFailure } from '../../src/errors.js';
import { appRunnerEndpoint, resolveProxy } from '../../src/proxy.js';
import { ProxyError, forgetProxyInUse, noteProxyInUse, type ProxyRoute } from '../../src/proxy-errors.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'];
const REGIONAL = new URL('https://apprunner.eu-west-1.amazonaws.com');

beforeEach(() => {
  for (const name of PROXY_VARIABLES) vi.stubEnv(name, undefined);
});
afterEach(() => {
  vi.unstubAllEnvs();
  forgetProxyInUse();
});

describe('appRunnerEndpoint: the URL the client calls, found as the SDK finds it', () => {
  it('is the regional endpoint when nothing is configured', () => {
    expect(appRunnerEndpoint('eu-west-1', {})).toBe('https://apprunner.eu-west-1.amazonaws.com');
  });

  it('is AWS_ENDPOINT_URL_APPRUNNER first, then AWS_ENDPOINT_URL', () => {
    const both = { AWS_ENDPOINT_URL_APPRUNNER: 'http://apprunner.local:9000', AWS_ENDPOINT_URL: 'http://all.local' };
    expect(appRunnerEndpoint('eu-west-1', both)).toBe('http://apprunner.local:9000');
    expect(appRunnerEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://all.local' })).toBe('http://all.local');
  });

  it('ignores both with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, as the SDK does', () => {
    const env = { AWS_ENDPOINT_URL_APPRUNNER: 'http://apprunner.local', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(appRunnerEndpoint('eu-west-1', env)).toBe('https://apprunner.eu-west-1.amazonaws.com');
  });
});

describe('resolveProxy: the variables, read as the Actions toolkit reads them', () => {
  it('finds no proxy when no variable is set', () => {
    expect(resolveProxy(REGIONAL)).toBeUndefined();
  });

  it('takes https_proxy for an https:// endpoint and http_proxy for an http:// one, never the other', () => {
    vi.stubEnv('http_proxy', 'http://plain.proxy:3128');
    expect(resolveProxy(REGIONAL)).toBeUndefined();
    expect(resolveProxy(new URL('http://apprunner.local:9000'))?.route.proxy).toBe('http://plain.proxy:3128');

    vi.stubEnv('https_proxy', 'http://tls.proxy:3128');
    expect(resolveProxy(REGIONAL)?.route).toEqual({
      proxy: 'http://tls.proxy:3128',
      variable: 'https_proxy',
      target: 'apprunner.eu-west-1.amazonaws.com:443',
      withCredentials: false,
    });
  });

  it('takes the upper-case variable when the lower-case one is not set, and the lower-case one when both are', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://upper.proxy:8080');
    expect(resolveProxy(REGIONAL)?.route).toMatchObject({ proxy: 'http://upper.proxy:8080', variable: 'HTTPS_PROXY' });

    vi.stubEnv('https_proxy', 'http://lower.proxy:8080');
    expect(resolveProxy(REGIONAL)?.route).toMatchObject({ proxy: 'http://lower.proxy:8080', variable: 'https_proxy' });
  });

  it('shows the proxy as scheme://host:port, with the default port when the URL has none', () => {
    vi.stubEnv('https_proxy', 'http://proxy.corp');
    expect(resolveProxy(REGIONAL)?.route.proxy).toBe('http://proxy.corp:80');
    vi.stubEnv('https_proxy', 'https://proxy.corp');
    expect(resolveProxy(REGIONAL)?.route.proxy).toBe('https://proxy.corp:443');
  });

  it('reads a value without a scheme as http://, as the toolkit does', () => {
    vi.stubEnv('https_proxy', '10.0.0.5:3128');
    expect(resolveProxy(REGIONAL)?.route.proxy).toBe('http://10.0.0.5:3128');
  });

  it('never proxies a loopback endpoint', () => {
    vi.stubEnv('http_proxy', 'http://proxy.corp:3128');
    expect(resolveProxy(new URL('http://127.0.0.1:9000'))).toBeUndefined();
    expect(resolveProxy(new URL('http://localhost:9000'))).toBeUndefined();
  });

  it.for([
    { form: 'the host name', noProxy: 'apprunner.eu-west-1.amazonaws.com' },
    { form: 'a .suffix', noProxy: '.amazonaws.com' },
    { form: 'a domain without the dot', noProxy: 'amazonaws.com' },
    { form: 'host:port', noProxy: 'apprunner.eu-west-1.amazonaws.com:443' },
    { form: 'a wildcard', noProxy: '*' },
    { form: 'another letter case, among other entries', noProxy: 'github.com, .AmazonAWS.com ,10.0.0.0' },
  ])('lets no_proxy with $form exempt the endpoint', ({ noProxy }) => {
    vi.stubEnv('https_proxy', 'http://proxy.corp:3128');
    vi.stubEnv('no_proxy', noProxy);
    expect(resolveProxy(REGIONAL)).toBeUndefined();
  });

  it('reads NO_PROXY when no_proxy is not set', () => {
    vi.stubEnv('HTTPS_PROXY', 'http://proxy.corp:3128');
    vi.stubEnv('NO_PROXY', '.amazonaws.com');
    expect(resolveProxy(REGIONAL)).toBeUndefined();
  });

  it.for([
    { form: 'another host', noProxy: 'apprunner.us-east-1.amazonaws.com' },
    { form: 'a part of a label', noProxy: 'zonaws.com' },
    { form: 'another port', noProxy: 'apprunner.eu-west-1.amazonaws.com:8443' },
  ])('keeps the proxy when no_proxy names $form', ({ noProxy }) => {
    vi.stubEnv('https_proxy', 'http://proxy.corp:3128');
    vi.stubEnv('no_proxy', noProxy);
    expect(resolveProxy(REGIONAL)?.route.proxy).toBe('http://proxy.corp:3128');
  });
});

describe('resolveProxy: credentials are used, and kept out of everything shown', () => {
  it('moves the decoded credentials into a Basic header and lists every form of them as secrets', () => {
    vi.stubEnv('https_proxy', 'http://ci%40corp:p%40ss%3Aw0rd@proxy.corp:3128');

    const resolved = resolveProxy(REGIONAL);

    const header = `Basic ${Buffer.from('ci@corp:p@ss:w0rd').toString('base64')}`;
    expect(resolved?.authorization).toBe(header);
    expect(resolved?.url.href).toBe('http://proxy.corp:3128/');
    expect(resolved?.route).toEqual({
      proxy: 'http://proxy.corp:3128',
      variable: 'https_proxy',
      target: 'apprunner.eu-west-1.amazonaws.com:443',
      withCredentials: true,
    });
    expect(resolved?.secrets).toEqual(['p@ss:w0rd', 'p%40ss%3Aw0rd', header]);
  });

  it('takes a user without a password for a token, and keeps it secret', () => {
    vi.stubEnv('https_proxy', 'http://tok%2Fen@proxy.corp:3128');

    const resolved = resolveProxy(REGIONAL);

    const header = `Basic ${Buffer.from('tok/en:').toString('base64')}`;
    expect(resolved?.authorization).toBe(header);
    expect(resolved?.secrets).toEqual(['tok/en', 'tok%2Fen', header]);
  });

  it.for([
    { kind: 'a SOCKS proxy', value: 'socks5://ci:hunter2@proxy.corp:1080' },
    { kind: 'a host:port that parses as a scheme', value: 'proxy.corp:3128' },
    { kind: 'a broken URL', value: 'http://ci:hunter2@proxy.corp:99999' },
  ])('refuses $kind with what to write instead, without quoting the value', ({ value }) => {
    vi.stubEnv('https_proxy', value);
    const attempt = () => resolveProxy(REGIONAL);
    expect(attempt).toThrow(
      'https_proxy is set but names no proxy this action can use: write it as http://host:port, or ' +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    );
    expect(attempt).not.toThrow(/hunter2|proxy\.corp/);
  });
});

describe('failures through a proxy name the proxy and say what to check', () => {
  const ROUTE: ProxyRoute = {
    proxy: 'http://proxy.corp:3128',
    variable: 'https_proxy',
    target: 'apprunner.eu-west-1.amazonaws.com:443',
    withCredentials: false,
  };
  const CONTEXT = { region: 'eu-west-1' };
  const describeCall = (cause: unknown, lastAttempt?: unknown) =>
    describeFailure(new AwsCallError('ListConnections', cause), { ...CONTEXT, lastAttempt });
  const withAttempts = <T extends object>(error: T, attempts: number) =>
    Object.assign(error, { $metadata: { attempts, totalRetryDelay: 0 } });

  it('407 with credentials given: they were refused; check the user and password', () => {
    const route = { ...ROUTE, withCredentials: true };
    expect(describeCall(new ProxyError(route, 407, 'Proxy Authentication Required', undefined))).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) did not accept the credentials in https_proxy for ' +
        'ListConnections (407 Proxy Authentication Required). Check the user and password: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    );
  });

  it('407 without credentials: the proxy wants some; give them in the URL', () => {
    expect(describeCall(new ProxyError(ROUTE, 407, 'Proxy Authentication Required', undefined))).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) requires credentials for ListConnections ' +
        '(407 Proxy Authentication Required). Give them in the URL: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    );
  });

  it('403 to CONNECT: the allow-list, or no_proxy', () => {
    expect(describeCall(new ProxyError(ROUTE, 403, 'Forbidden', undefined))).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) refused to connect to apprunner.eu-west-1.amazonaws.com:443 ' +
        "for ListConnections (403 Forbidden). Ask for apprunner.eu-west-1.amazonaws.com:443 to be added to the proxy's " +
        'allow-list, or, if the runner can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('5xx to CONNECT after retries: the proxy could not reach AWS', () => {
    const error = withAttempts(new ProxyError(ROUTE, 502, 'Bad Gateway', undefined), 10);
    expect(describeCall(error)).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) could not reach apprunner.eu-west-1.amazonaws.com:443 for ' +
        'ListConnections (502 Bad Gateway) after 10 attempts. Check that the proxy can reach AWS, or, if the runner ' +
        'can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('connection refused: is the proxy running, are its host and port right', () => {
    expect(describeCall(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED'))).toBe(
      'Could not connect to the proxy http://proxy.corp:3128 (from https_proxy) for ListConnections (ECONNREFUSED). ' +
        'Check that the proxy is running and that https_proxy names its host and port, or, if the runner can reach ' +
        'AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('an https:// proxy whose certificate the runner does not trust: NODE_EXTRA_CA_CERTS', () => {
    const route = { ...ROUTE, proxy: 'https://proxy.corp:443' };
    expect(describeCall(new ProxyError(route, undefined, '', 'SELF_SIGNED_CERT_IN_CHAIN'))).toBe(
      'Could not connect to the proxy https://proxy.corp:443 (from https_proxy) for ListConnections ' +
        '(SELF_SIGNED_CERT_IN_CHAIN): give the runner the CA certificate of its https:// URL with NODE_EXTRA_CA_CERTS.',
    );
  });

  it('a refusal or a dead proxy is final for the SDK; a 5xx or a dropped connection may be retried', () => {
    expect(new ProxyError(ROUTE, 407, '', undefined).$retryable).toBeUndefined();
    expect(new ProxyError(ROUTE, 403, '', undefined).$retryable).toBeUndefined();
    expect(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED').$retryable).toBeUndefined();
    expect(new ProxyError(ROUTE, undefined, '', 'ENOTFOUND').$retryable).toBeUndefined();
    expect(new ProxyError(ROUTE, 503, '', undefined).$retryable).toEqual({ throttling: false });
    expect(new ProxyError(ROUTE, undefined, '', 'ECONNRESET').$retryable).toEqual({ throttling: false });
    expect(new ProxyError(ROUTE, undefined, '', undefined).$retryable).toEqual({ throttling: false });
    // `code` is what the SDK's retry classification reads; the proxy's own code is kept apart from it.
    expect(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED')).not.toHaveProperty('code');
  });

  it("the proxy's 407 to an absolute-form request, as the SDK reports it: credentials, by the route in use", () => {
    noteProxyInUse({ ...ROUTE, variable: 'http_proxy' }, []);
    const sdkError = Object.assign(new SyntaxError(`Unexpected token 'P', "Proxy auth"... is not valid JSON`), {
      $metadata: { httpStatusCode: 407, attempts: 1 },
    });
    expect(describeCall(sdkError)).toMatch(
      /^The proxy http:\/\/proxy\.corp:3128 \(from http_proxy\) requires credentials for ListConnections \(407/,
    );
  });

  it('a call through the proxy that got no answer: the usual advice, then the route', () => {
    noteProxyInUse(ROUTE, []);
    const timeout = withAttempts(
      Object.assign(new Error('the request socket did not establish a connection within 3000 ms'), {
        name: 'TimeoutError',
      }),
      10,
    );
    const route =
      ' AWS calls go through the proxy http://proxy.corp:3128 (from https_proxy): check that it is up and lets the ' +
      'runner reach apprunner.eu-west-1.amazonaws.com:443, or, if the runner can reach AWS without it, add ' +
      'apprunner.eu-west-1.amazonaws.com to no_proxy.';
    expect(describeCall(timeout)).toBe(
      'App Runner did not answer ListConnections (TimeoutError) after 10 attempts. Check that region eu-west-1 is ' +
        `right and that the runner can reach AWS.${route}`,
    );
    expect(describeCall(new DeadlineExceeded(45_000), timeout)).toMatch(/within 45 s, so the action gave up\..*/);
    expect(describeCall(new DeadlineExceeded(45_000), timeout).endsWith(route)).toBe(true);
  });

  it('a certificate the runner does not trust, through the proxy: NODE_EXTRA_CA_CERTS for a TLS-inspecting proxy', () => {
    noteProxyInUse(ROUTE, []);
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(describeCall(untrusted)).toMatch(
      /AWS calls go through the proxy http:\/\/proxy\.corp:3128 \(from https_proxy\); if it inspects TLS, give the runner its CA certificate with NODE_EXTRA_CA_CERTS\.$/,
    );
  });

  it('leaves alone what App Runner answered, and failures that are not about the network', () => {
    noteProxyInUse(ROUTE, []);
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(describeCall(denied)).not.toContain('proxy');
    expect(describeCall(noCredentials)).not.toContain('proxy');
    expect(describeFailure(new Error('something else'), CONTEXT)).toBe('Error: something else');
  });

  it('adds nothing when no proxy carried the call', () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(describeCall(timeout)).not.toContain('proxy');
  });

  it('never shows a secret of the route in use, whatever the message carried', () => {
    noteProxyInUse(ROUTE, ['hunter2', 'Basic Y2k6aHVudGVyMg==']);
    const leaky = Object.assign(new Error('proxy said: bad password hunter2 (Basic Y2k6aHVudGVyMg==)'), {
      code: 'EPROTO',
    });
    const message = describeCall(leaky);
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('Y2k6aHVudGVyMg==');
    expect(message).toContain('bad password *** (***)');
  });
});
