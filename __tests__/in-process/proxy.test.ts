// Behaviour 13, the whole step in process: App Runner calls honour https_proxy, http_proxy and no_proxy (either
// case) by the Actions toolkit's rules, a proxy that refuses, fails, is down or stays silent fails the step with an
// error that names it, and proxy credentials are secrets. The toolkit's rules read process.env, not the run's env:
// each test sets the proxy variables there and puts them back after, one test after another. This worker installs
// the network guard (loopback sockets only, no host name resolves but DIRECT) and addresses the endpoint by
// PROXY_ONLY, a name only the test proxy knows (the toolkit never proxies a loopback host): a run that ignored the
// proxy fails on the guard. Node reads NODE_EXTRA_CA_CERTS only at start-up, so the test CA is added to the roots
// of TLS connections to PROXY_ONLY alone (trustTestCa).

import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import tls from 'node:tls';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import type { Limits } from '../../src/model.js';
import { type InProcessRun, infoText, runInProcess } from '../support/in-process.js';
import { guardThisProcess } from '../support/network-guard.js';
import {
  closedPort,
  makeTestCertificates,
  startHangingProxy,
  startTestProxy,
  startTlsFront,
  type TestCertificates,
  type TestProxyOptions,
} from '../support/test-proxy.js';

const REGION = 'us-east-1';
const NAME = 'proxied-conn';
/** Resolvable by the test proxy only. */
const PROXY_ONLY = 'apprunner.proxy-only.test';
/** Resolvable by this worker too (the guard maps it to 127.0.0.1): reachable with or without the proxy. */
const DIRECT = 'apprunner.direct.test';
const ARN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/proxied-conn\/[0-9a-f]{32}$/;
const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY'];

guardThisProcess({ [DIRECT]: '127.0.0.1' });

/** What NODE_EXTRA_CA_CERTS does at start-up, for connections to `host` only: the default roots plus the test CA. */
function trustTestCa(host: string, caFile: string): () => void {
  const ca = [...tls.rootCertificates, readFileSync(caFile, 'utf8')];
  const original = tls.connect;
  const connect = (...args: unknown[]) => {
    const [options] = args;
    if ((options as tls.ConnectionOptions | undefined)?.servername === host) args[0] = { ...(options as object), ca };
    return Reflect.apply(original, tls, args) as tls.TLSSocket;
  };
  Object.assign(tls, { connect });
  syncBuiltinESMExports();
  return () => {
    Object.assign(tls, { connect: original });
    syncBuiltinESMExports();
  };
}

/** The proxy variables this worker started with: put back after each test. */
const saved = Object.fromEntries(Object.entries(process.env).filter(([name]) => PROXY_VARIABLES.includes(name)));
let certificates: TestCertificates;
let untrust: () => void;
beforeAll(() => {
  certificates = makeTestCertificates(PROXY_ONLY);
  untrust = trustTestCa(PROXY_ONLY, certificates.caFile);
});
afterAll(() => {
  untrust();
  certificates.remove();
});

/** What a test started, closed when it ends. */
const started: { close(): Promise<unknown> }[] = [];
const unsetProxyVariables = () => PROXY_VARIABLES.forEach((name) => delete process.env[name]);
beforeEach(unsetProxyVariables);
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
  unsetProxyVariables();
  Object.assign(process.env, saved);
});

/** A local App Runner endpoint, an https:// front for it, and the URLs that reach them. */
async function endpoints(serverCertificates: TestCertificates = certificates) {
  const server = await startLocalAppRunner({ region: REGION });
  const front = await startTlsFront(server.url, serverCertificates);
  started.push(front, server);
  const { port } = new URL(server.url);
  const https = `https://${PROXY_ONLY}:${front.port}`;
  return {
    server,
    http: `http://${PROXY_ONLY}:${port}`,
    https,
    httpsTarget: new URL(https).host,
    direct: `http://${DIRECT}:${port}`,
  };
}

/** Closed when the test ends. */
const kept = <T extends { close(): Promise<unknown> }>(server: T): T => (started.push(server), server);
const proxyFor = async (options: Partial<TestProxyOptions> = {}) =>
  kept(await startTestProxy({ hosts: { [PROXY_ONLY]: '127.0.0.1', [DIRECT]: '127.0.0.1' }, ...options }));
const hangingProxy = async () => kept(await startHangingProxy());
const deadProxy = async () => `http://127.0.0.1:${await closedPort()}`;

type Variables = Record<string, string>;
/** One run of NAME with `proxyVariables` in process.env (put back after the test) and `env` as the run's own. */
function runWith(proxyVariables: Variables, env: Variables, limits: Partial<Limits> = {}): Promise<InProcessRun> {
  Object.assign(process.env, proxyVariables);
  return runInProcess({ inputs: { 'connection-name': NAME, region: REGION }, env, limits });
}

/** Everything a person could see of a run: every log line, the failure, the summary, the outputs. */
const shownBy = (run: InProcessRun) =>
  [...run.lines.map((line) => line.text), run.failure ?? '', run.summary, JSON.stringify(run.outputs)].join('\n');

const succeeded = (run: InProcessRun) => run.failure === undefined && ARN.test(run.outputs['connection-arn'] ?? '');
const through = (target: string, proxy: string, variable: string) =>
  `App Runner calls to ${target} go through the proxy ${proxy} (from ${variable}).`;
const direct = (host: string, variable: string) => ({
  kind: 'debug',
  text: `App Runner calls to ${host} go direct: no_proxy or a loopback host exempts them from ${variable}.`,
});
const noProxyAdvice = `if the runner can reach AWS without it, add ${PROXY_ONLY} to no_proxy.`;

describe('the guard holds: the endpoint is reachable only through the proxy', () => {
  it('fails on the guard, with no call reaching App Runner, when no proxy variable is set', async () => {
    const { server, https } = await endpoints();

    const run = await runWith({}, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(run.failure).toContain('network guard');
    expect(server.calls).toEqual([]);
  });
});

describe('the variable is chosen by the endpoint scheme, lower case first', () => {
  it.for([
    { scheme: 'http', other: 'https', form: 'as absolute-form requests' },
    { scheme: 'https', other: 'http', form: 'in one CONNECT tunnel, kept alive' },
  ] as const)(
    'carries every call to an $scheme:// endpoint $form, ignoring the variable of $other',
    async ({ scheme, other }) => {
      const urls = await endpoints();
      const proxy = await proxyFor();
      const variable = `${scheme}_proxy`;

      const run = await runWith(
        { [variable]: proxy.url, [`${other}_proxy`]: await deadProxy() },
        { AWS_ENDPOINT_URL_APPRUNNER: urls[scheme] },
      );

      expect(succeeded(run), shownBy(run)).toBe(true);
      expect(urls.server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
      const post = { method: 'POST', target: `${urls.http}/`, authorization: undefined };
      const connect = { method: 'CONNECT', target: urls.httpsTarget, authorization: undefined };
      expect(proxy.requests).toEqual(scheme === 'http' ? [post, post] : [connect]);
      expect(infoText(run)).toContain(through(new URL(urls[scheme]).host, proxy.url, variable));
      expect(run.secrets).toEqual([]);
    },
  );

  it('takes HTTPS_PROXY when https_proxy is not set, https_proxy when both are, and a value without scheme as http://', async () => {
    const { https, httpsTarget } = await endpoints();
    const proxy = await proxyFor();
    const env = { AWS_ENDPOINT_URL_APPRUNNER: https };

    const upper = await runWith({ HTTPS_PROXY: proxy.url }, env);
    const both = await runWith({ https_proxy: proxy.url, HTTPS_PROXY: await deadProxy() }, env);
    const noScheme = await runWith({ https_proxy: proxy.url.replace('http://', '') }, env);

    expect([upper, both, noScheme].map(succeeded), [upper, both, noScheme].map(shownBy).join()).toEqual([
      true,
      true,
      true,
    ]);
    expect(infoText(upper)).toContain(through(httpsTarget, proxy.url, 'HTTPS_PROXY'));
    expect(infoText(both)).toContain(through(httpsTarget, proxy.url, 'https_proxy'));
    expect(infoText(noScheme)).toContain(through(httpsTarget, proxy.url, 'https_proxy'));
    expect(proxy.requests.map((request) => request.method)).toEqual(['CONNECT', 'CONNECT', 'CONNECT']);
  });
});

describe('no_proxy (or NO_PROXY) and loopback hosts send the calls direct, and the debug log says why', () => {
  it.for<{ form: string; names: Variables; proxied?: boolean }>([
    { form: 'the exact host name', names: { no_proxy: DIRECT } },
    { form: 'a .suffix', names: { no_proxy: '.direct.test' } },
    { form: 'a domain without the dot', names: { no_proxy: 'direct.test' } },
    { form: 'host:port, among other entries', names: { no_proxy: `other.example, ${DIRECT}:PORT ,10.0.0.1` } },
    { form: 'a wildcard', names: { no_proxy: '*' } },
    { form: 'NO_PROXY, in upper case', names: { NO_PROXY: '.DIRECT.test' } },
    {
      form: 'other hosts, part of a label',
      names: { no_proxy: 'proxy-only.test,.example.com,irect.test' },
      proxied: true,
    },
  ])('sends the calls direct only when no_proxy names the endpoint: $form', async ({ names, proxied }) => {
    const { server, direct: endpoint } = await endpoints();
    const proxy = await proxyFor();
    const { host, port } = new URL(endpoint);
    const noProxy = Object.fromEntries(
      Object.entries(names).map(([name, value]) => [name, value.replace('PORT', port)]),
    );

    const run = await runWith({ http_proxy: proxy.url, ...noProxy }, { AWS_ENDPOINT_URL_APPRUNNER: endpoint });

    expect(succeeded(run), shownBy(run)).toBe(true);
    expect(server.calls).toHaveLength(2);
    expect(proxy.requests).toHaveLength(proxied ? 2 : 0);
    expect(run.lines.filter((line) => line.kind === 'debug')).toEqual(proxied ? [] : [direct(host, 'http_proxy')]);
  });

  it('never proxies a loopback endpoint, whatever the variables say', async () => {
    const { server } = await endpoints();
    const proxy = await proxyFor();

    const run = await runWith({ http_proxy: proxy.url }, { AWS_ENDPOINT_URL_APPRUNNER: server.url });

    expect(succeeded(run), shownBy(run)).toBe(true);
    expect(proxy.requests).toEqual([]);
    expect(run.lines).toContainEqual(direct(new URL(server.url).host, 'http_proxy'));
  });
});

describe('a variable that names no usable proxy fails the step before any call, without quoting it', () => {
  it.for([
    { kind: 'a SOCKS proxy', value: 'socks5://ci:hunter2-secret@127.0.0.1:1080' },
    { kind: 'a port out of range', value: 'http://ci:hunter2-secret@127.0.0.1:99999' },
    { kind: 'a host:port that parses as a scheme', value: 'proxy.hunter2-secret:3128' },
  ])('refuses $kind', async ({ value }) => {
    const { server, https } = await endpoints();

    const run = await runWith({ https_proxy: value }, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(run.failure).toBe(
      'https_proxy is set but names no proxy this action can use: write it as http://host:port, or ' +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    );
    expect(server.calls).toEqual([]);
    expect(shownBy(run)).not.toContain('hunter2');
  });
});

describe('proxy credentials travel in Proxy-Authorization, decoded, and are secrets shown nowhere', () => {
  const USER = 'ci-runner';
  // Every character that must be percent-encoded in a URL's password, and a % of its own.
  const PASSWORD = 'pr0xy:p@ss/w%rd#?';

  it.for([
    { what: 'a user and password', user: USER, password: PASSWORD, secret: PASSWORD },
    { what: 'a token (a user without a password)', user: 'tok/en', password: '', secret: 'tok/en' },
  ])('sends $what to CONNECT, decoded, and registers every form as a secret, shown nowhere', async (c) => {
    const { https } = await endpoints();
    const proxy = await proxyFor({ credentials: { user: c.user, password: c.password } });
    const written = encodeURIComponent(c.secret);
    const proxyUrl = c.password ? proxy.urlWith(c.user, c.password) : proxy.url.replace('//', `//${written}@`);
    const basic = `Basic ${Buffer.from(`${c.user}:${c.password}`).toString('base64')}`;

    const run = await runWith({ https_proxy: proxyUrl }, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(succeeded(run), shownBy(run)).toBe(true);
    expect(proxy.requests.map((request) => request.authorization)).toEqual([basic]);
    expect(run.secrets).toEqual([c.secret, written, basic]);
    expect(run.report.secrets).toEqual(run.secrets);
    expect(run.report.proxy).toMatchObject({ proxy: proxy.url, variable: 'https_proxy', withCredentials: true });
    for (const secret of [c.secret, written, basic.slice(6), proxyUrl]) expect(shownBy(run)).not.toContain(secret);
  });

  it.for([
    {
      given: 'wrong ones, to CONNECT',
      scheme: 'https',
      variable: 'https_proxy',
      password: 'not-the-password',
      says: 'did not accept the credentials in https_proxy for ListConnections (407 Proxy Authentication Required). Check the user and password:',
    },
    {
      given: 'none, to an absolute-form request',
      scheme: 'http',
      variable: 'HTTP_PROXY',
      password: undefined,
      says: 'requires credentials for ListConnections (407 Proxy Authentication Required). Give them in the URL:',
    },
  ] as const)('fails at once on a 407 for $given, naming the proxy and the variable but no password', async (c) => {
    const urls = await endpoints();
    const proxy = await proxyFor({ credentials: { user: USER, password: PASSWORD } });
    const value = c.password ? proxy.urlWith(USER, c.password) : proxy.url;

    const run = await runWith({ [c.variable]: value }, { AWS_ENDPOINT_URL_APPRUNNER: urls[c.scheme] });

    expect(run.failure).toBe(
      `The proxy ${proxy.url} (from ${c.variable}) ${c.says} ` +
        `${c.variable}=http://user:password@host:port, with special characters in them percent-encoded.`,
    );
    // A refusal is not retried: one request to the proxy, and App Runner never saw a call.
    expect(proxy.requests).toHaveLength(1);
    expect(urls.server.calls).toEqual([]);
    expect(run.secrets.includes('not-the-password')).toBe(Boolean(c.password));
    expect(shownBy(run)).not.toContain('not-the-password');
  });
});

describe('a proxy that refuses, fails upstream or is down fails the step with an error that names it', () => {
  it.for([
    {
      what: 'answers 403 (an allow-list), once',
      status: 403,
      says: (target: string) =>
        `refused to connect to ${target} for ListConnections (403 Forbidden). ` +
        `Ask for ${target} to be added to the proxy's allow-list, or, ${noProxyAdvice}`,
    },
    {
      what: 'answers 502, retried as 5xx',
      status: 502,
      says: (target: string) =>
        `could not reach ${target} for ListConnections (502 Bad Gateway) after 3 attempts. ` +
        `Check that the proxy can reach AWS, or, ${noProxyAdvice}`,
    },
  ])('names the proxy and the target when the proxy $what', async ({ status, says }) => {
    const { server, https, httpsTarget } = await endpoints();
    const proxy = await proxyFor({ refuse: { [httpsTarget]: status } });

    const run = await runWith({ https_proxy: proxy.url }, { AWS_ENDPOINT_URL_APPRUNNER: https, AWS_MAX_ATTEMPTS: '3' });

    expect(run.failure).toBe(`The proxy ${proxy.url} (from https_proxy) ${says(httpsTarget)}`);
    expect(proxy.requests).toHaveLength(status === 403 ? 1 : 3);
    expect(server.calls).toEqual([]);
  });

  it('fails without retrying when nothing listens at the proxy (ECONNREFUSED)', async () => {
    const { server, https } = await endpoints();
    const dead = await deadProxy();

    const run = await runWith({ https_proxy: dead }, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(run.failure).toBe(
      `Could not connect to the proxy ${dead} (from https_proxy) for ListConnections (ECONNREFUSED). ` +
        `Check that the proxy is running and that https_proxy names its host and port, or, ${noProxyAdvice}`,
    );
    expect(server.calls).toEqual([]);
  });

  it('gives the NODE_EXTRA_CA_CERTS advice when the certificate behind the tunnel is not trusted (a TLS-inspecting proxy)', async () => {
    // The same host name, signed by a CA nobody trusts.
    const untrusted = makeTestCertificates(PROXY_ONLY);
    started.push({ close: async () => untrusted.remove() });
    const { server, https, httpsTarget } = await endpoints(untrusted);
    const proxy = await proxyFor();

    const run = await runWith({ https_proxy: proxy.url }, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(run.failure).toMatch(/^The TLS certificate presented for ListConnections is not trusted \(\w+\)/);
    expect(run.failure).toContain(`AWS calls go through the proxy ${proxy.url} (from https_proxy)`);
    expect(run.failure).toContain('Give the runner that certificate authority with NODE_EXTRA_CA_CERTS');
    expect(proxy.requests.map((request) => request.target)).toEqual([httpsTarget]);
    expect(server.calls).toEqual([]);
  });
});

describe("a proxy that accepts and never answers: the SDK's timeouts and the lookup's deadline hold through it", () => {
  const routeHint = (target: string, proxy: string, variable: string) =>
    `AWS calls go through the proxy ${proxy} (from ${variable}): check that it is up and lets the runner reach ` +
    `${target}, or, ${noProxyAdvice}`;

  it.for([
    { scheme: 'https', ends: 'CONNECT at the connection timeout', connectionTimeoutMs: 500 },
    { scheme: 'http', ends: 'absolute-form at the request timeout', requestTimeoutMs: 1_000 },
  ] as const)('ends a silent $ends', async ({ scheme, ...bound }) => {
    const urls = await endpoints();
    const proxy = await hangingProxy();
    // The other timeout far away, so that the one under test is what ended the attempt.
    const limits = { connectionTimeoutMs: 20_000, requestTimeoutMs: 20_000, ...bound };
    const endpoint = urls[scheme];

    const run = await runWith(
      { [`${scheme}_proxy`]: proxy.url },
      { AWS_ENDPOINT_URL_APPRUNNER: endpoint, AWS_MAX_ATTEMPTS: '1' },
      limits,
    );

    expect(run.failure).toMatch(/^App Runner did not answer ListConnections \(\w+\)\./);
    expect(run.failure).toContain(routeHint(new URL(endpoint).host, proxy.url, `${scheme}_proxy`));
    const boundMs = Math.min(limits.connectionTimeoutMs, limits.requestTimeoutMs);
    expect(run.durationMs).toBeGreaterThanOrEqual(boundMs);
    expect(run.durationMs).toBeLessThan(boundMs + 8_000);
    expect(urls.server.calls).toEqual([]);
  });

  it('gives up at the lookup deadline when every attempt through a silent proxy times out, naming the route', async () => {
    const { https, httpsTarget } = await endpoints();
    const proxy = await hangingProxy();
    // Ten attempts of 400 ms would take 4 s: the 2 s deadline ends the lookup first.
    const limits = { lookupMs: 2_000, connectionTimeoutMs: 400 };

    const run = await runWith({ https_proxy: proxy.url }, { AWS_ENDPOINT_URL_APPRUNNER: https }, limits);

    expect(run.failure).toMatch(/^App Runner did not complete ListConnections within 2s, so the action gave up\./);
    expect(run.failure).toContain(routeHint(httpsTarget, proxy.url, 'https_proxy'));
    expect(run.durationMs).toBeGreaterThanOrEqual(limits.lookupMs);
    expect(run.durationMs).toBeLessThan(limits.lookupMs + 8_000);
  });
});
