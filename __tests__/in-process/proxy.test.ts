// Behaviour 13, the whole step in process (runStep through support/in-process.ts; FAST_LIMITS for
// a proxy that never answers, roomier per-attempt timeouts where a run must not meet a bound):
// App Runner calls honour https_proxy, http_proxy and no_proxy (either case) the way the Actions
// toolkit does, a proxy that refuses, is down or hangs fails the step with an error that names it,
// and proxy credentials are secrets. The environment of each run is a value; nothing of this
// process's proxy variables is read.
//
// The network guard: this file's vitest worker is a process of its own; importing
// support/network-guard.js installs in it the guard the bundle's specs preload, and
// guardThisProcess, called before any test, maps DIRECT: the worker may open loopback sockets only
// and resolves no host name but DIRECT (and loopback literals, which its own servers listen on). The endpoint is addressed by PROXY_ONLY, a
// name only the test proxy knows, so a run that ignored the proxy would fail on the guard instead
// of reaching out; every refusal is recorded, and only the run without proxy variables may cause one.
//
// TLS: Node reads NODE_EXTRA_CA_CERTS only at start-up, so for the https:// endpoint this worker
// adds the throwaway test CA to the default roots of connections to PROXY_ONLY alone (tls.connect,
// see trustTestCa). The bundle with the real NODE_EXTRA_CA_CERTS, the ::add-mask:: lines of the
// runner's log, RUNNER_DEBUG and the proxy chunks are in e2e/proxy.test.ts.

import { readFileSync } from 'node:fs';
import { syncBuiltinESMExports } from 'node:module';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, it, type ExpectStatic, type TestContext } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { type AppRunnerClientOptions, createAppRunnerClient } from '../../src/aws-client.js';
import { readSettings } from '../../src/inputs.js';
import type { Limits } from '../../src/limits.js';
import type { ProxyRouting } from '../../src/proxy.js';
import { runStep } from '../../src/step.js';
import { renderSummary } from '../../src/summary.js';
import { FAST_LIMITS, type InProcessRun, infoText, inputReader, runInProcess } from '../support/in-process.js';
import { guardThisProcess } from '../support/network-guard.js';
import {
  closedPort,
  makeTestCertificates,
  startHangingProxy,
  startTestProxy,
  startTlsFront,
  type HangingServer,
  type TestCertificates,
  type TestProxy,
  type TestProxyOptions,
} from '../support/test-proxy.js';

const REGION = 'us-east-1';
const NAME = 'proxied-conn';
/** Resolvable by the test proxy only. */
const PROXY_ONLY = 'apprunner.proxy-only.test';
/** Resolvable by this process too (the guard maps it to 127.0.0.1): reachable with or without the proxy. */
const DIRECT = 'apprunner.direct.test';
const ARN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/proxied-conn\/[0-9a-f]{32}$/;

guardThisProcess({ [DIRECT]: '127.0.0.1' });

/** What the guard refused in this worker: its line on stderr for each refusal. */
const refusals: string[] = [];
const writeStderr = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
  const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
  refusals.push(...text.split('\n').filter((line) => line.startsWith('network guard: refused')));
  return writeStderr(chunk, ...rest);
}) as typeof process.stderr.write;

/**
 * What NODE_EXTRA_CA_CERTS does at start-up, for connections to `host` only: the default roots
 * plus the test CA. The proxy agents upgrade the tunnel with tls.connect (an ESM import of
 * node:tls, hence syncBuiltinESMExports).
 */
function trustTestCa(host: string, caFile: string): () => void {
  const ca = [...tls.rootCertificates, readFileSync(caFile, 'utf8')];
  const original = tls.connect;
  const connect = (...args: unknown[]) => {
    const [options] = args;
    if (typeof options === 'object' && options !== null && (options as tls.ConnectionOptions).servername === host) {
      args[0] = { ...options, ca };
    }
    return Reflect.apply(original, tls, args) as tls.TLSSocket;
  };
  Object.assign(tls, { connect });
  syncBuiltinESMExports();
  return () => {
    Object.assign(tls, { connect: original });
    syncBuiltinESMExports();
  };
}

let certificates: TestCertificates;
let untrust: () => void;
beforeAll(() => {
  certificates = makeTestCertificates(PROXY_ONLY);
  untrust = trustTestCa(PROXY_ONLY, certificates.caFile);
});
afterAll(() => {
  untrust();
  certificates.remove();
  // Every refusal came from the one run that had no proxy to go through.
  if (refusals.some((line) => line !== `network guard: refused the DNS lookup of ${PROXY_ONLY}`)) {
    throw new Error(`the network guard refused more than expected:\n${refusals.join('\n')}`);
  }
});

type Context = Pick<TestContext, 'onTestFinished'>;

/** A local App Runner endpoint with its plain http:// port and an https:// front, and the URLs that reach them; closed when the test ends. */
async function endpoints(context: Context, serverCertificates: TestCertificates = certificates) {
  const server = await startLocalAppRunner({ region: REGION });
  const front = await startTlsFront(server.url, serverCertificates);
  context.onTestFinished(async () => {
    await Promise.all([front.close(), server.close()]);
  });
  const port = new URL(server.url).port;
  return {
    server,
    /** http://apprunner.proxy-only.test:PORT: absolute-form requests through the proxy. */
    http: `http://${PROXY_ONLY}:${port}`,
    /** https://apprunner.proxy-only.test:PORT: a CONNECT tunnel, TLS checked against the test CA. */
    https: `https://${PROXY_ONLY}:${front.port}`,
    httpsTarget: `${PROXY_ONLY}:${front.port}`,
    /** http://apprunner.direct.test:PORT: a name this process resolves too. */
    direct: `http://${DIRECT}:${port}`,
  };
}

async function proxyFor(context: Context, options: Partial<TestProxyOptions> = {}): Promise<TestProxy> {
  const proxy = await startTestProxy({ hosts: { [PROXY_ONLY]: '127.0.0.1', [DIRECT]: '127.0.0.1' }, ...options });
  context.onTestFinished(() => proxy.close());
  return proxy;
}

async function hangingProxy(context: Context): Promise<HangingServer> {
  const proxy = await startHangingProxy();
  context.onTestFinished(() => proxy.close());
  return proxy;
}

interface ProxiedRun extends InProcessRun {
  /** The proxy route the step built its client with, if any. */
  readonly routing: ProxyRouting | undefined;
}

/**
 * Limits for runs that must not meet a bound: per-attempt timeouts a TLS handshake through a
 * tunnel never reaches on a loaded two-core machine (FAST_LIMITS' 400 ms did, and the SDK retried
 * the call), so the calls and tunnels a case counts are never doubled by a retry. Only the runs
 * against a proxy that never answers take FAST_LIMITS as they are: those bounds are what they test.
 */
const ROOMY: Partial<Limits> = {
  connectionTimeoutMs: 3_000,
  requestTimeoutMs: 3_000,
  lookupMs: 8_000,
  runBudgetMs: 10_000,
};

/** One run of NAME, region from AWS_REGION as after configure-aws-credentials, `env` on top (the endpoint, the proxy variables). */
async function runWith(env: Record<string, string>, limits: Partial<Limits> = ROOMY): Promise<ProxiedRun> {
  let routing: ProxyRouting | undefined;
  const run = await runInProcess({
    inputs: { 'connection-name': NAME },
    env: { AWS_REGION: REGION, ...env },
    limits,
    dependencies: {
      createClient: (options: AppRunnerClientOptions) => {
        routing = options.routing;
        return createAppRunnerClient(options);
      },
    },
  });
  return { ...run, routing };
}

/** Everything a person could see of a run: every log line, the failure, the summary, the outputs. */
const shownBy = (run: InProcessRun) =>
  [...run.lines.map((line) => line.text), run.failure ?? '', run.summary, JSON.stringify(run.outputs)].join('\n');

function expectSuccess(expect: ExpectStatic, run: InProcessRun): void {
  expect(run.failure, `${infoText(run)}\n${run.failure}`).toBeUndefined();
  expect(run.outputs['connection-arn']).toMatch(ARN);
}

// Alone, so the refusals it causes are its own: the guard's lines are the only way to tell.
describe('the guard holds: the endpoint is reachable only through the proxy', () => {
  it('without proxy variables the run fails on the guard', async ({ expect, onTestFinished }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const before = refusals.length;

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(refusals.slice(before)).toContain(`network guard: refused the DNS lookup of ${PROXY_ONLY}`);
    expect(run.failure).toContain('network guard');
    expect(run.outputs).toEqual({});
    expect(run.routing).toBeUndefined();
    expect(server.calls).toEqual([]);
  });
});

describe.concurrent('App Runner calls go through the proxy the environment names', () => {
  it('an http:// endpoint: every call reaches the proxy as an absolute-form request (http_proxy)', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, http } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: http, http_proxy: proxy.url });

    expectSuccess(expect, run);
    expect(run.outputs['created']).toBe('true');
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    expect(proxy.requests).toEqual([
      { method: 'POST', target: `${http}/`, authorization: undefined },
      { method: 'POST', target: `${http}/`, authorization: undefined },
    ]);
    expect(run.lines).toContainEqual({
      kind: 'info',
      text: `App Runner calls to ${PROXY_ONLY}:${new URL(http).port} go through the proxy ${proxy.url} (from http_proxy).`,
    });
    expect(run.secrets).toEqual([]);
  });

  it('an https:// endpoint: one CONNECT tunnel carries the calls, TLS verified against the test CA (https_proxy)', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https, httpsTarget } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxy.url });

    expectSuccess(expect, run);
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    // Kept alive: the second call rides the first call's tunnel.
    expect(proxy.requests).toEqual([{ method: 'CONNECT', target: httpsTarget, authorization: undefined }]);
    expect(run.lines).toContainEqual({
      kind: 'info',
      text: `App Runner calls to ${httpsTarget} go through the proxy ${proxy.url} (from https_proxy).`,
    });
  });
});

describe.concurrent('proxy credentials are used and are secrets', () => {
  const USER = 'ci-runner';
  // Every character that must be percent-encoded in a URL's password, and a % of its own.
  const PASSWORD = 'pr0xy:p@ss/w%rd#?';
  const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

  it('a proxy that requires credentials gets them from the URL; every form of them is registered as a secret before anything is said or called, and nothing shown carries them', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { credentials: { user: USER, password: PASSWORD } });
    const proxyUrl = proxy.urlWith(USER, PASSWORD);
    const env = { AWS_REGION: REGION, AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxyUrl };
    // The step itself, with one log that keeps the order of everything it says, and of the client's creation.
    const events: { kind: string; text: string }[] = [];
    const say = (kind: string) => (text: string) => events.push({ kind, text });

    const report = await runStep(readSettings(inputReader({ 'connection-name': NAME }), env), {
      env,
      limits: { ...FAST_LIMITS, ...ROOMY },
      log: {
        info: say('info'),
        debug: say('debug'),
        warning: say('warning'),
        secret: say('secret'),
        output: (name, value) => events.push({ kind: 'output', text: `${name}=${value}` }),
      },
      createClient: (options) => {
        events.push({ kind: 'client', text: '' });
        return createAppRunnerClient(options);
      },
    });

    expect(report.outcome.failure, JSON.stringify(events)).toBeUndefined();
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    expect(proxy.requests.map((request) => request.authorization)).toEqual([`Basic ${BASIC}`]);
    const secrets = events.filter((event) => event.kind === 'secret').map((event) => event.text);
    expect(secrets).toEqual([PASSWORD, encodeURIComponent(PASSWORD), `Basic ${BASIC}`]);
    // Registered first: the runner masks them in everything printed after.
    const firstOther = events.findIndex((event) => event.kind !== 'secret');
    expect(events.slice(0, firstOther).map((event) => event.kind)).toEqual(['secret', 'secret', 'secret']);
    expect(events.slice(firstOther).map((event) => event.kind)).not.toContain('secret');
    // And shown nowhere: not in the log, the outputs, the summary or the outcome.
    const shown = [
      ...events.filter((event) => event.kind !== 'secret').map((event) => event.text),
      renderSummary(report),
      JSON.stringify(report.outcome),
    ].join('\n');
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), BASIC, proxyUrl]) {
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain(`the proxy ${proxy.url} (from https_proxy)`);
  });

  it('wrong credentials (407 to CONNECT): the step fails at once, naming the proxy but not the password', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { credentials: { user: USER, password: PASSWORD } });

    const run = await runWith({
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: proxy.urlWith(USER, 'not-the-password'),
    });

    expect(run.failure).toBe(
      `The proxy ${proxy.url} (from https_proxy) did not accept the credentials in https_proxy for ListConnections ` +
        '(407 Proxy Authentication Required). Check the user and password: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    );
    // A refusal is not retried: one CONNECT, and App Runner never saw a call.
    expect(proxy.requests).toHaveLength(1);
    expect(server.calls).toEqual([]);
    expect(run.durationMs).toBeLessThan(FAST_LIMITS.lookupMs);
    expect(run.secrets).toContain('not-the-password');
    expect(shownBy(run)).not.toContain('not-the-password');
  });

  it('no credentials for an http:// endpoint through a proxy that wants them (its 407 answer): says to put them in HTTP_PROXY', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, http } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { credentials: { user: USER, password: PASSWORD } });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: http, HTTP_PROXY: proxy.url });

    expect(run.failure).toBe(
      `The proxy ${proxy.url} (from HTTP_PROXY) requires credentials for ListConnections ` +
        '(407 Proxy Authentication Required). Give them in the URL: ' +
        'HTTP_PROXY=http://user:password@host:port, with special characters in them percent-encoded.',
    );
    expect(proxy.requests).toHaveLength(1);
    expect(server.calls).toEqual([]);
  });
});

describe.concurrent('a proxy that refuses or is down fails the step with an error that names it', () => {
  it('403 to CONNECT (not on the allow-list): names the proxy and the target, not retried', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https, httpsTarget } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { refuse: { [httpsTarget]: 403 } });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxy.url });

    expect(run.failure).toBe(
      `The proxy ${proxy.url} (from https_proxy) refused to connect to ${httpsTarget} for ListConnections ` +
        `(403 Forbidden). Ask for ${httpsTarget} to be added to the proxy's allow-list, or, if the runner can ` +
        `reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
    );
    expect(proxy.requests).toHaveLength(1);
    expect(server.calls).toEqual([]);
  });

  it('a proxy that is down (connection refused): fails fast, with what to check', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const deadProxy = `http://127.0.0.1:${await closedPort()}`;

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: deadProxy });

    expect(run.failure).toBe(
      `Could not connect to the proxy ${deadProxy} (from https_proxy) for ListConnections (ECONNREFUSED). ` +
        'Check that the proxy is running and that https_proxy names its host and port, or, if the runner can ' +
        `reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
    );
    // Not retried until the lookup's deadline: one refused connection ends it.
    expect(run.durationMs).toBeLessThan(FAST_LIMITS.lookupMs);
    expect(server.calls).toEqual([]);
  });

  it('a certificate the runner does not trust behind the tunnel (as a TLS-inspecting proxy shows): says NODE_EXTRA_CA_CERTS, not retried', async ({
    expect,
    onTestFinished,
  }) => {
    // The same host name, signed by a CA nobody trusts.
    const untrusted = makeTestCertificates(PROXY_ONLY);
    onTestFinished(() => untrusted.remove());
    const { server, https } = await endpoints({ onTestFinished }, untrusted);
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxy.url });

    expect(run.failure).toMatch(/^ListConnections failed: /);
    expect(
      run.failure?.endsWith(
        ` AWS calls go through the proxy ${proxy.url} (from https_proxy); if it inspects TLS, ` +
          'give the runner its CA certificate with NODE_EXTRA_CA_CERTS.',
      ),
    ).toBe(true);
    expect(proxy.requests).toHaveLength(1);
    expect(server.calls).toEqual([]);
    expect(run.durationMs).toBeLessThan(FAST_LIMITS.lookupMs);
  });

  it('a variable that names no usable proxy fails before any call, without quoting it', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });

    const run = await runWith({
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: 'socks5://user:hunter2-secret@127.0.0.1:1080',
    });

    expect(run.failure).toBe(
      'https_proxy is set but names no proxy this action can use: write it as http://host:port, or ' +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    );
    expect(run.routing).toBeUndefined();
    expect(server.calls).toEqual([]);
    expect(shownBy(run)).not.toContain('hunter2-secret');
  });
});

describe.concurrent(
  'a proxy that accepts and never answers: the SDK timeouts hold, the step ends within its budget',
  () => {
    it.for(['https', 'http'] as const)(
      '%s:// endpoint: retried within the bounds, then a failure that names the proxy',
      async (scheme, { expect, onTestFinished }) => {
        const urls = await endpoints({ onTestFinished });
        const proxy = await hangingProxy({ onTestFinished });
        const endpoint = urls[scheme];
        const target = new URL(endpoint).host;

        const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: endpoint, [`${scheme}_proxy`]: proxy.url }, {});

        expect(run.durationMs).toBeLessThan(FAST_LIMITS.runBudgetMs);
        // Each attempt was cut off by a timeout and retried, on a new connection to the proxy.
        expect(proxy.connections()).toBeGreaterThan(1);
        expect(run.failure).toMatch(/TimeoutError/);
        expect(run.failure).toContain(
          `AWS calls go through the proxy ${proxy.url} (from ${scheme}_proxy): check that it is up and lets the runner ` +
            `reach ${target}, or, if the runner can reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
        );
        expect(urls.server.calls).toEqual([]);
      },
    );
  },
);

describe.concurrent(
  'no_proxy, as the toolkit reads it, sends matching endpoints direct: the proxy sees nothing',
  () => {
    it.for([
      { form: 'the exact host name', noProxy: DIRECT },
      { form: 'a .suffix', noProxy: '.direct.test' },
      { form: 'a domain without the dot', noProxy: 'direct.test' },
      { form: 'host:port, among other entries', noProxy: `other.example, ${DIRECT}:PORT ,10.0.0.1` },
      { form: 'a wildcard', noProxy: '*' },
    ])('no_proxy with $form', async ({ noProxy }, { expect, onTestFinished }) => {
      const { server, direct } = await endpoints({ onTestFinished });
      const proxy = await proxyFor({ onTestFinished });

      const run = await runWith({
        AWS_ENDPOINT_URL_APPRUNNER: direct,
        http_proxy: proxy.url,
        no_proxy: noProxy.replace('PORT', new URL(direct).port),
      });

      expectSuccess(expect, run);
      expect(proxy.requests).toEqual([]);
      expect(server.calls).toHaveLength(2);
      expect(run.lines).toContainEqual({
        kind: 'debug',
        text: `App Runner calls to ${new URL(direct).host} go direct: no_proxy or a loopback host exempts them from http_proxy.`,
      });
      // No agents: the client is the SDK's own (the bundle loads no proxy chunk then: e2e/proxy.test.ts).
      expect(run.routing).toBeUndefined();
      expect(run.secrets).toEqual([]);
    });

    it('an entry that does not match leaves the endpoint on the proxy', async ({ expect, onTestFinished }) => {
      const { direct, server } = await endpoints({ onTestFinished });
      const proxy = await proxyFor({ onTestFinished });

      const run = await runWith({
        AWS_ENDPOINT_URL_APPRUNNER: direct,
        http_proxy: proxy.url,
        no_proxy: 'proxy-only.test,.example.com,irect.test',
      });

      expectSuccess(expect, run);
      expect(proxy.requests.map((request) => request.target)).toEqual([`${direct}/`, `${direct}/`]);
      expect(server.calls).toHaveLength(2);
      expect(run.lines.filter((line) => line.kind === 'debug')).toEqual([]);
    });

    it('a loopback endpoint goes direct whatever the variables say, and the debug line says why', async ({
      expect,
      onTestFinished,
    }) => {
      const { server } = await endpoints({ onTestFinished });
      const proxy = await proxyFor({ onTestFinished });

      const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: server.url, http_proxy: proxy.url });

      expectSuccess(expect, run);
      expect(proxy.requests).toEqual([]);
      expect(run.lines).toContainEqual({
        kind: 'debug',
        text: `App Runner calls to ${new URL(server.url).host} go direct: no_proxy or a loopback host exempts them from http_proxy.`,
      });
      expect(run.routing).toBeUndefined();
    });
  },
);

describe.concurrent('upper-case variables work as the lower-case ones, which win when both are set', () => {
  it('HTTPS_PROXY carries the calls when https_proxy is not set', async ({ expect, onTestFinished }) => {
    const { https, httpsTarget } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: https, HTTPS_PROXY: proxy.url });

    expectSuccess(expect, run);
    expect(proxy.requests.map((request) => request.target)).toEqual([httpsTarget]);
    expect(infoText(run)).toContain(`go through the proxy ${proxy.url} (from HTTPS_PROXY).`);
  });

  it('NO_PROXY exempts the endpoint as no_proxy does', async ({ expect, onTestFinished }) => {
    const { direct } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({ AWS_ENDPOINT_URL_APPRUNNER: direct, HTTP_PROXY: proxy.url, NO_PROXY: '.direct.test' });

    expectSuccess(expect, run);
    expect(proxy.requests).toEqual([]);
    expect(run.lines).toContainEqual({
      kind: 'debug',
      text: `App Runner calls to ${new URL(direct).host} go direct: no_proxy or a loopback host exempts them from HTTP_PROXY.`,
    });
  });

  it('https_proxy wins over HTTPS_PROXY', async ({ expect, onTestFinished }) => {
    const { https } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await runWith({
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: proxy.url,
      HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`,
    });

    expectSuccess(expect, run);
    expect(proxy.requests).toHaveLength(1);
    expect(infoText(run)).toContain(`go through the proxy ${proxy.url} (from https_proxy).`);
  });
});
