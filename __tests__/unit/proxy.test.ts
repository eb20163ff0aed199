// Behaviour 13, the rules: which URL the client calls, whether a proxy carries it (the Actions
// toolkit's reading of https_proxy / http_proxy / no_proxy, either case, held to
// @actions/http-client's own functions by a property test), what may be shown of the proxy, and
// what a failure through it says. Every function here takes the environment as an argument; only
// the toolkit's functions, the reference, read process.env. Proxies and sockets are in
// integration/ and in-process/; the bundle in e2e/.

import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { appRunnerEndpoint, configuredEndpoint, type Environment } from '../../src/environment.js';
import { AwsCallError, ConfigurationError, DeadlineExceeded, ProxyError, type ProxyRoute } from '../../src/errors.js';
import { describeFailure, type FailureContext } from '../../src/failure.js';
import { bypassesProxy, proxyVariable, resolveProxy } from '../../src/proxy.js';

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'] as const;
const REGIONAL = new URL('https://apprunner.eu-west-1.amazonaws.com');

describe('appRunnerEndpoint: the URL the client calls, found as the SDK finds it', () => {
  it('is the regional endpoint when nothing is configured', () => {
    expect(appRunnerEndpoint('eu-west-1', {})).toBe('https://apprunner.eu-west-1.amazonaws.com');
    expect(configuredEndpoint({})).toBeUndefined();
  });

  it('is AWS_ENDPOINT_URL_APPRUNNER first, then AWS_ENDPOINT_URL', () => {
    const both = { AWS_ENDPOINT_URL_APPRUNNER: 'http://apprunner.local:9000', AWS_ENDPOINT_URL: 'http://all.local' };
    expect(appRunnerEndpoint('eu-west-1', both)).toBe('http://apprunner.local:9000');
    expect(appRunnerEndpoint('eu-west-1', { AWS_ENDPOINT_URL: 'http://all.local' })).toBe('http://all.local');
  });

  it('ignores both with AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true, as the SDK does', () => {
    const env = { AWS_ENDPOINT_URL_APPRUNNER: 'http://apprunner.local', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' };
    expect(appRunnerEndpoint('eu-west-1', env)).toBe('https://apprunner.eu-west-1.amazonaws.com');
    expect(configuredEndpoint(env)).toBeUndefined();
  });
});

describe('resolveProxy: the variables, read as the Actions toolkit reads them', () => {
  it('finds no proxy when no variable is set', () => {
    expect(resolveProxy(REGIONAL, {})).toBeUndefined();
    expect(proxyVariable(REGIONAL, {})).toBeUndefined();
  });

  it('takes https_proxy for an https:// endpoint and http_proxy for an http:// one, never the other', () => {
    const plain = { http_proxy: 'http://plain.proxy:3128' };
    expect(resolveProxy(REGIONAL, plain)).toBeUndefined();
    expect(resolveProxy(new URL('http://apprunner.local:9000'), plain)?.route.proxy).toBe('http://plain.proxy:3128');

    const both = { ...plain, https_proxy: 'http://tls.proxy:3128' };
    expect(resolveProxy(REGIONAL, both)?.route).toEqual({
      proxy: 'http://tls.proxy:3128',
      variable: 'https_proxy',
      target: 'apprunner.eu-west-1.amazonaws.com:443',
      withCredentials: false,
    });
  });

  it('takes the upper-case variable when the lower-case one is not set, and the lower-case one when both are', () => {
    const upper = { HTTPS_PROXY: 'http://upper.proxy:8080' };
    expect(resolveProxy(REGIONAL, upper)?.route).toMatchObject({
      proxy: 'http://upper.proxy:8080',
      variable: 'HTTPS_PROXY',
    });
    expect(proxyVariable(REGIONAL, upper)).toBe('HTTPS_PROXY');

    const both = { ...upper, https_proxy: 'http://lower.proxy:8080' };
    expect(resolveProxy(REGIONAL, both)?.route).toMatchObject({
      proxy: 'http://lower.proxy:8080',
      variable: 'https_proxy',
    });
    expect(proxyVariable(REGIONAL, both)).toBe('https_proxy');
    // An empty lower-case variable counts as not set, as in the toolkit.
    expect(proxyVariable(REGIONAL, { ...upper, https_proxy: '' })).toBe('HTTPS_PROXY');
  });

  it('shows the proxy as scheme://host:port, with the default port when the URL has none', () => {
    expect(resolveProxy(REGIONAL, { https_proxy: 'http://proxy.corp' })?.route.proxy).toBe('http://proxy.corp:80');
    expect(resolveProxy(REGIONAL, { https_proxy: 'https://proxy.corp' })?.route.proxy).toBe('https://proxy.corp:443');
  });

  it('reads a value without a scheme as http://, as the toolkit does', () => {
    expect(resolveProxy(REGIONAL, { https_proxy: '10.0.0.5:3128' })?.route.proxy).toBe('http://10.0.0.5:3128');
  });

  it('never proxies a loopback endpoint', () => {
    const env = { http_proxy: 'http://proxy.corp:3128' };
    for (const endpoint of ['http://127.0.0.1:9000', 'http://localhost:9000', 'http://[::1]:9000']) {
      expect(resolveProxy(new URL(endpoint), env), endpoint).toBeUndefined();
      expect(bypassesProxy(new URL(endpoint), {}), endpoint).toBe(true);
    }
  });

  it.for([
    { form: 'the host name', noProxy: 'apprunner.eu-west-1.amazonaws.com' },
    { form: 'a .suffix', noProxy: '.amazonaws.com' },
    { form: 'a domain without the dot', noProxy: 'amazonaws.com' },
    { form: 'host:port', noProxy: 'apprunner.eu-west-1.amazonaws.com:443' },
    { form: 'a wildcard', noProxy: '*' },
    { form: 'another letter case, among other entries', noProxy: 'github.com, .AmazonAWS.com ,10.0.0.0' },
  ])('lets no_proxy with $form exempt the endpoint', ({ noProxy }) => {
    const env = { https_proxy: 'http://proxy.corp:3128', no_proxy: noProxy };
    expect(bypassesProxy(REGIONAL, env)).toBe(true);
    expect(resolveProxy(REGIONAL, env)).toBeUndefined();
  });

  it('reads NO_PROXY when no_proxy is not set', () => {
    expect(resolveProxy(REGIONAL, { HTTPS_PROXY: 'http://proxy.corp:3128', NO_PROXY: '.amazonaws.com' })).toBe(
      undefined,
    );
  });

  it.for([
    { form: 'another host', noProxy: 'apprunner.us-east-1.amazonaws.com' },
    { form: 'a part of a label', noProxy: 'zonaws.com' },
    { form: 'another port', noProxy: 'apprunner.eu-west-1.amazonaws.com:8443' },
  ])('keeps the proxy when no_proxy names $form', ({ noProxy }) => {
    const env = { https_proxy: 'http://proxy.corp:3128', no_proxy: noProxy };
    expect(bypassesProxy(REGIONAL, env)).toBe(false);
    expect(resolveProxy(REGIONAL, env)?.route.proxy).toBe('http://proxy.corp:3128');
  });
});

/**
 * Runs `read` with process.env holding exactly `env`'s proxy variables (the toolkit reads only
 * process.env), and puts back what was there.
 */
function withProcessEnv<T>(env: Environment, read: () => T): T {
  const saved = PROXY_VARIABLES.map((name) => [name, process.env[name]] as const);
  const put = (name: string, value: string | undefined) => {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  };
  try {
    for (const name of PROXY_VARIABLES) put(name, env[name]);
    return read();
  } finally {
    for (const [name, value] of saved) put(name, value);
  }
}

describe("held to @actions/http-client's rules (getProxyUrl, checkBypass) for any endpoint and variables", () => {
  // Few labels, so that generated no_proxy entries often match, partly match or nearly match the host.
  const label = fc.constantFrom('apprunner', 'eu-west-1', 'amazonaws', 'AmazonAWS', 'com', 'proxy-only', 'test', 'x');
  const host = fc.oneof(
    { weight: 4, arbitrary: fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => labels.join('.')) },
    fc.constantFrom(
      'localhost',
      'LocalHost',
      '127.0.0.1',
      '127.9.8.7',
      '[::1]',
      '[0:0:0:0:0:0:0:1]',
      '10.0.0.1',
      '[2001:db8::1]',
      '0x7f.1',
    ),
  );
  const endpoint = fc
    .record({
      scheme: fc.constantFrom('http', 'https'),
      host,
      port: fc.constantFrom('', ':80', ':443', ':8443', ':9000'),
    })
    .map(({ scheme, host, port }) => new URL(`${scheme}://${host}${port}`));
  const noProxyEntry = fc.oneof(
    fc.constantFrom('*', '', ' ', '127.0.0.1', 'localhost', '[::1]', '10.0.0.1'),
    fc
      .record({
        dot: fc.boolean(),
        labels: fc.array(label, { minLength: 1, maxLength: 3 }),
        port: fc.constantFrom('', ':80', ':443', ':8443', ':9000'),
        upper: fc.boolean(),
        pad: fc.constantFrom('', ' ', '\t'),
      })
      .map(({ dot, labels, port, upper, pad }) => {
        const entry = `${dot ? '.' : ''}${labels.join('.')}${port}`;
        return `${pad}${upper ? entry.toUpperCase() : entry}${pad}`;
      }),
  );
  const noProxy = fc.array(noProxyEntry, { maxLength: 4 }).map((entries) => entries.join(','));
  const proxyValue = fc.constantFrom(
    '',
    'http://proxy.corp:3128',
    'HTTP://Proxy.Corp:3128',
    'https://proxy.corp',
    'http://proxy.corp',
    '10.0.0.5:3128',
    'proxy.corp:3128',
    'user:pass@proxy.corp:3128',
    'socks5://ci:hunter2@proxy.corp:1080',
    'ftp://proxy.corp:21',
    'http://ci%40corp:p%40ss%3Aw0rd@proxy.corp:3128',
    'http://tok%2Fen@proxy.corp:3128',
    'http://:only-a-password@proxy.corp:8080',
    'http://ci:p%zz@proxy.corp:3128',
    'http://ci:hunter2@proxy.corp:99999',
    'http://[::1]:3128',
    'not a url',
  );
  const optional = <T>(arbitrary: fc.Arbitrary<T>) => fc.option(arbitrary, { nil: undefined });
  const environment: fc.Arbitrary<Environment> = fc
    .record({
      https_proxy: optional(proxyValue),
      HTTPS_PROXY: optional(proxyValue),
      http_proxy: optional(proxyValue),
      HTTP_PROXY: optional(proxyValue),
      no_proxy: optional(noProxy),
      NO_PROXY: optional(noProxy),
    })
    .map((env) => Object.fromEntries(Object.entries(env).filter(([, value]) => value !== undefined)));

  it('bypassesProxy exempts exactly the endpoints checkBypass exempts', () => {
    fc.assert(
      fc.property(endpoint, environment, (url, env) => {
        expect(bypassesProxy(url, env)).toBe(withProcessEnv(env, () => checkBypass(url)));
      }),
      { numRuns: 500 },
    );
  });

  it('proxyVariable names the variable whose proxy getProxyUrl takes', () => {
    // A distinct, valid proxy per variable (or an empty one): the host getProxyUrl returns tells which it read.
    const distinct = fc.record({
      https_proxy: fc.constantFrom(undefined, '', 'http://lower-https.proxy:1'),
      HTTPS_PROXY: fc.constantFrom(undefined, '', 'http://upper-https.proxy:2'),
      http_proxy: fc.constantFrom(undefined, '', 'http://lower-http.proxy:3'),
      HTTP_PROXY: fc.constantFrom(undefined, '', 'http://upper-http.proxy:4'),
    });
    const notBypassed = fc.constantFrom(
      new URL('https://apprunner.eu-west-1.amazonaws.com'),
      new URL('http://x.test:9'),
    );
    fc.assert(
      fc.property(notBypassed, distinct, (url, env) => {
        const variable = proxyVariable(url, env);
        const taken = withProcessEnv(env, () => getProxyUrl(url));
        expect(variable === undefined ? undefined : env[variable as keyof typeof env]).toBe(
          taken === undefined ? undefined : `${taken.protocol}//${taken.host}`,
        );
      }),
    );
  });

  it('resolveProxy takes the proxy getProxyUrl takes, with its decoded credentials, and refuses what it cannot use', () => {
    fc.assert(
      fc.property(endpoint, environment, (url, env) => {
        const reference = withProcessEnv(env, () => {
          try {
            return getProxyUrl(url);
          } catch {
            return undefined; // The toolkit throws on a value it cannot read at all; the action refuses it.
          }
        });
        const variable = proxyVariable(url, env);
        if (variable === undefined || bypassesProxy(url, env)) {
          expect(reference).toBeUndefined();
          expect(resolveProxy(url, env)).toBeUndefined();
          return;
        }
        const usable = reference && ['http:', 'https:'].includes(reference.protocol) && reference.hostname !== '';
        if (!reference || !usable) {
          expect(() => resolveProxy(url, env)).toThrow(ConfigurationError);
          expect(() => resolveProxy(url, env)).toThrow(`${variable} is set but names no proxy this action can use`);
          return;
        }
        const resolved = resolveProxy(url, env);
        expect(resolved?.url.href).toBe(new URL(`${reference.protocol}//${reference.host}`).href);
        const { username, password } = reference;
        expect(resolved?.route.withCredentials).toBe(username !== '' || password !== '');
        expect(resolved?.authorization).toBe(
          username || password ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}` : undefined,
        );
      }),
      { numRuns: 500 },
    );
  });
});

describe('resolveProxy: credentials are used, and kept out of everything shown', () => {
  it('moves the decoded credentials into a Basic header and lists every form of them as secrets', () => {
    const resolved = resolveProxy(REGIONAL, { https_proxy: 'http://ci%40corp:p%40ss%3Aw0rd@proxy.corp:3128' });

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
    const resolved = resolveProxy(REGIONAL, { https_proxy: 'http://tok%2Fen@proxy.corp:3128' });

    const header = `Basic ${Buffer.from('tok/en:').toString('base64')}`;
    expect(resolved?.authorization).toBe(header);
    expect(resolved?.secrets).toEqual(['tok/en', 'tok%2Fen', header]);
  });

  it.for([
    { kind: 'a SOCKS proxy', value: 'socks5://ci:hunter2@proxy.corp:1080' },
    { kind: 'a host:port that parses as a scheme', value: 'proxy.corp:3128' },
    { kind: 'a broken URL', value: 'http://ci:hunter2@proxy.corp:99999' },
  ])('refuses $kind with what to write instead, without quoting the value', ({ value }) => {
    const attempt = () => resolveProxy(REGIONAL, { https_proxy: value });
    expect(attempt).toThrow(ConfigurationError);
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
  /** The step's failure for a ListConnections call that threw `cause`, made through `context.proxy` if any. */
  const describeCall = (cause: unknown, context: Partial<FailureContext> = {}) =>
    describeFailure(new AwsCallError('ListConnections', cause), { region: 'eu-west-1', ...context });
  /** Through ROUTE, the proxy the run resolved. */
  const throughProxy = (cause: unknown, context: Partial<FailureContext> = {}) =>
    describeCall(cause, { proxy: ROUTE, secrets: [], ...context });
  const withAttempts = <T extends object>(error: T, attempts: number) =>
    Object.assign(error, { $metadata: { attempts, totalRetryDelay: 0 } });

  it('407 with credentials given: they were refused; check the user and password', () => {
    const route = { ...ROUTE, withCredentials: true };
    expect(describeCall(new ProxyError(route, 407, 'Proxy Authentication Required', undefined), { proxy: route })).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) did not accept the credentials in https_proxy for ' +
        'ListConnections (407 Proxy Authentication Required). Check the user and password: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    );
  });

  it('407 without credentials: the proxy wants some; give them in the URL', () => {
    expect(throughProxy(new ProxyError(ROUTE, 407, 'Proxy Authentication Required', undefined))).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) requires credentials for ListConnections ' +
        '(407 Proxy Authentication Required). Give them in the URL: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    );
  });

  it('403 to CONNECT: the allow-list, or no_proxy', () => {
    expect(throughProxy(new ProxyError(ROUTE, 403, 'Forbidden', undefined))).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) refused to connect to apprunner.eu-west-1.amazonaws.com:443 ' +
        "for ListConnections (403 Forbidden). Ask for apprunner.eu-west-1.amazonaws.com:443 to be added to the proxy's " +
        'allow-list, or, if the runner can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('5xx to CONNECT after retries: the proxy could not reach AWS', () => {
    const error = withAttempts(new ProxyError(ROUTE, 502, 'Bad Gateway', undefined), 10);
    expect(throughProxy(error)).toBe(
      'The proxy http://proxy.corp:3128 (from https_proxy) could not reach apprunner.eu-west-1.amazonaws.com:443 for ' +
        'ListConnections (502 Bad Gateway) after 10 attempts. Check that the proxy can reach AWS, or, if the runner ' +
        'can reach AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('connection refused: is the proxy running, are its host and port right', () => {
    expect(throughProxy(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED'))).toBe(
      'Could not connect to the proxy http://proxy.corp:3128 (from https_proxy) for ListConnections (ECONNREFUSED). ' +
        'Check that the proxy is running and that https_proxy names its host and port, or, if the runner can reach ' +
        'AWS without it, add apprunner.eu-west-1.amazonaws.com to no_proxy.',
    );
  });

  it('an https:// proxy whose certificate the runner does not trust: NODE_EXTRA_CA_CERTS', () => {
    const route = { ...ROUTE, proxy: 'https://proxy.corp:443' };
    expect(describeCall(new ProxyError(route, undefined, '', 'SELF_SIGNED_CERT_IN_CHAIN'), { proxy: route })).toBe(
      'Could not connect to the proxy https://proxy.corp:443 (from https_proxy) for ListConnections ' +
        '(SELF_SIGNED_CERT_IN_CHAIN): give the runner the CA certificate of its https:// URL with NODE_EXTRA_CA_CERTS.',
    );
  });

  it("the proxy's failure is worded by the ProxyError's own route, also when only the last attempt saw it", () => {
    const refused = withAttempts(new ProxyError(ROUTE, undefined, '', 'ECONNREFUSED'), 1);
    // The deadline hid the attempt; the context carries it.
    expect(describeCall(new DeadlineExceeded(1_500), { lastAttempt: refused })).toMatch(
      /^Could not connect to the proxy http:\/\/proxy\.corp:3128 \(from https_proxy\) for ListConnections \(ECONNREFUSED\)\./,
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
    const sdkError = Object.assign(new SyntaxError(`Unexpected token 'P', "Proxy auth"... is not valid JSON`), {
      $metadata: { httpStatusCode: 407, attempts: 1 },
    });
    expect(throughProxy(sdkError, { proxy: { ...ROUTE, variable: 'http_proxy' } })).toMatch(
      /^The proxy http:\/\/proxy\.corp:3128 \(from http_proxy\) requires credentials for ListConnections \(407/,
    );
    // Also when only the last attempt had it (the deadline ended the call).
    expect(
      throughProxy(new DeadlineExceeded(45_000), {
        proxy: { ...ROUTE, variable: 'http_proxy' },
        lastAttempt: sdkError,
      }),
    ).toMatch(/^The proxy http:\/\/proxy\.corp:3128 \(from http_proxy\) requires credentials for ListConnections/);
  });

  it('a call through the proxy that got no answer: the usual advice, then the route', () => {
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
    expect(throughProxy(timeout)).toBe(
      'App Runner did not answer ListConnections (TimeoutError) after 10 attempts. Check that region eu-west-1 is ' +
        `right and that the runner can reach AWS.${route}`,
    );
    const gaveUp = throughProxy(new DeadlineExceeded(45_000), { lastAttempt: timeout });
    expect(gaveUp).toMatch(/within 45 s, so the action gave up\..*/);
    expect(gaveUp.endsWith(route)).toBe(true);
  });

  it('a certificate the runner does not trust, through the proxy: NODE_EXTRA_CA_CERTS for a TLS-inspecting proxy', () => {
    const untrusted = Object.assign(new Error('self-signed certificate in certificate chain'), {
      code: 'SELF_SIGNED_CERT_IN_CHAIN',
    });
    expect(throughProxy(untrusted)).toMatch(
      /AWS calls go through the proxy http:\/\/proxy\.corp:3128 \(from https_proxy\); if it inspects TLS, give the runner its CA certificate with NODE_EXTRA_CA_CERTS\.$/,
    );
  });

  it('leaves alone what App Runner answered, and failures that are not about the network', () => {
    const denied = Object.assign(new Error('not authorized'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400, attempts: 1 },
    });
    const noCredentials = Object.assign(new Error('Could not load credentials from any providers'), {
      name: 'CredentialsProviderError',
    });
    expect(throughProxy(denied)).not.toContain('proxy');
    expect(throughProxy(noCredentials)).not.toContain('proxy');
    expect(describeFailure(new Error('something else'), { region: 'eu-west-1', proxy: ROUTE })).toBe(
      'Error: something else',
    );
  });

  it('adds nothing when no proxy carried the call', () => {
    const timeout = Object.assign(new Error('timed out'), { name: 'TimeoutError' });
    expect(describeCall(timeout)).not.toContain('proxy');
  });

  it('never shows a secret of the route in use, whatever the message carried', () => {
    const leaky = Object.assign(new Error('proxy said: bad password hunter2 (Basic Y2k6aHVudGVyMg==)'), {
      code: 'EPROTO',
    });
    const message = throughProxy(leaky, { secrets: ['hunter2', 'Basic Y2k6aHVudGVyMg=='] });
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('Y2k6aHVudGVyMg==');
    expect(message).toContain('bad password *** (***)');
    // Also in a failure that is not an App Runner call's, and in the last attempt's text.
    expect(describeFailure(new Error('hunter2'), { region: undefined, secrets: ['hunter2'] })).toBe('Error: ***');
    expect(throughProxy(new DeadlineExceeded(1_500), { lastAttempt: leaky, secrets: ['hunter2'] })).not.toContain(
      'hunter2',
    );
  });
});
