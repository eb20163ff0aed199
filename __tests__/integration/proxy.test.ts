// Behaviour 13 in one process: the action's real App Runner client (src/aws-client.ts) with the
// proxy agents src/proxy.ts picks, against the test proxy and the local endpoint. What the SDK's
// retry strategy and timeouts make of a proxy that refuses, fails, is down or hangs, measured
// per attempt. The committed bundle under the network guard is in e2e/proxy.test.ts.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { createAppRunnerClient, type ObservedClient } from '../../src/aws-client.js';
import { findConnection } from '../../src/connection.js';
import { describeFailure } from '../../src/errors.js';
import { proxyRoutingFor } from '../../src/proxy.js';
import { forgetProxyInUse } from '../../src/proxy-errors.js';
import {
  closedPort,
  startHangingProxy,
  startTestProxy,
  type HangingServer,
  type TestProxy,
} from '../support/test-proxy.js';

const core = vi.hoisted(() => ({ setSecret: vi.fn(), info: vi.fn(), debug: vi.fn() }));
vi.mock('@actions/core', () => core);

const REGION = 'us-east-1';
const HOST = 'apprunner.proxy-only.test';

let server: LocalAppRunner;
const closeAfter: { close(): Promise<unknown> }[] = [];
const clients: ObservedClient[] = [];

beforeAll(async () => {
  server = await startLocalAppRunner({ region: REGION });
});
afterAll(() => server.close());
beforeEach(() => {
  server.reset();
  vi.clearAllMocks();
  for (const name of ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY', 'no_proxy', 'NO_PROXY']) {
    vi.stubEnv(name, undefined);
  }
});
afterEach(async () => {
  vi.unstubAllEnvs();
  forgetProxyInUse();
  for (const { client } of clients.splice(0)) client.destroy();
  await Promise.all(closeAfter.splice(0).map((closable) => closable.close()));
});

async function testProxy(refuse: Record<string, number> = {}): Promise<TestProxy> {
  const proxy = await startTestProxy({ hosts: { [HOST]: '127.0.0.1' }, refuse });
  closeAfter.push(proxy);
  return proxy;
}

async function hangingProxy(): Promise<HangingServer> {
  const proxy = await startHangingProxy();
  closeAfter.push(proxy);
  return proxy;
}

/** The action's client for `endpoint`, through the proxy the environment names, with `attempts` attempts a call. */
async function clientFor(endpoint: string, attempts: number) {
  vi.stubEnv('AWS_MAX_ATTEMPTS', String(attempts));
  const env = { ...process.env, AWS_ENDPOINT_URL_APPRUNNER: endpoint };
  const observed = createAppRunnerClient(REGION, env, await proxyRoutingFor(REGION, env));
  clients.push(observed);
  return observed;
}

/** One lookup through the client: what it threw, after how long, and the message the step would fail with. */
async function lookUp({ client, lastAttemptError }: ObservedClient) {
  const started = Date.now();
  try {
    await findConnection(client, { name: 'proxied-conn', region: REGION });
  } catch (error) {
    const message = describeFailure(error, { region: REGION, lastAttempt: lastAttemptError() });
    return { error: (error as { cause?: unknown }).cause, elapsedMs: Date.now() - started, message };
  }
  throw new Error('expected the lookup to fail');
}

const port = () => new URL(server.url).port;
/** https:// on the endpoint's port: only CONNECT failures are reached, which happen before TLS. */
const httpsEndpoint = () => `https://${HOST}:${port()}`;

describe('the proxy carries the calls', () => {
  it('picks the agents by the endpoint the client calls, and the client calls that endpoint', async () => {
    const proxy = await testProxy();
    vi.stubEnv('http_proxy', proxy.url);
    const endpoint = `http://${HOST}:${port()}`;

    const { client } = await clientFor(endpoint, 1);

    expect(await findConnection(client, { name: 'absent-conn', region: REGION })).toBeUndefined();
    expect(proxy.requests).toEqual([{ method: 'POST', target: `${endpoint}/`, authorization: undefined }]);
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections']);
    expect(core.info).toHaveBeenCalledWith(
      `App Runner calls to ${HOST}:${port()} go through the proxy ${proxy.url} (from http_proxy).`,
    );
  });

  it('masks every form of the credentials before the first call: the password as written and decoded, and the header', async () => {
    const proxy = await testProxy();
    vi.stubEnv('https_proxy', proxy.urlWith('ci', 'p@ss word'));

    await clientFor(httpsEndpoint(), 1);

    expect(core.setSecret.mock.calls).toEqual([
      ['p@ss word'],
      ['p%40ss%20word'],
      [`Basic ${Buffer.from('ci:p@ss word').toString('base64')}`],
    ]);
  });

  it('loads nothing and masks nothing when no_proxy exempts the endpoint', async () => {
    vi.stubEnv('https_proxy', 'http://127.0.0.1:3128');
    vi.stubEnv('no_proxy', '.proxy-only.test');

    expect(await proxyRoutingFor(REGION, { AWS_ENDPOINT_URL_APPRUNNER: httpsEndpoint() })).toBeUndefined();
    expect(core.setSecret).not.toHaveBeenCalled();
    expect(core.debug).toHaveBeenCalledWith(
      `App Runner calls to ${HOST}:${port()} go direct: no_proxy or a loopback host exempts them from https_proxy.`,
    );
  });
});

describe('a proxy that refuses or is down ends the call at once; one that failed upstream is retried', () => {
  it('407 to CONNECT: one attempt, a ProxyError with the status', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 407 });
    vi.stubEnv('https_proxy', proxy.url);

    const { error, message } = await lookUp(await clientFor(httpsEndpoint(), 5));

    expect(error).toMatchObject({ name: 'ProxyError', status: 407, $metadata: { attempts: 1 } });
    expect(proxy.requests).toHaveLength(1);
    expect(message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:\d+ \(from https_proxy\) requires credentials/);
  });

  it('403 to CONNECT: one attempt', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 403 });
    vi.stubEnv('https_proxy', proxy.url);

    const { error } = await lookUp(await clientFor(httpsEndpoint(), 5));

    expect(error).toMatchObject({ name: 'ProxyError', status: 403, statusText: 'Forbidden' });
    expect(proxy.requests).toHaveLength(1);
  });

  it('502 to CONNECT (the proxy could not reach AWS) is retried like a 5xx of AWS itself', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 502 });
    vi.stubEnv('https_proxy', proxy.url);

    const { error, message } = await lookUp(await clientFor(httpsEndpoint(), 3));

    expect(error).toMatchObject({ name: 'ProxyError', status: 502, $metadata: { attempts: 3 } });
    expect(proxy.requests).toHaveLength(3);
    expect(message).toContain(
      `could not reach ${HOST}:${port()} for ListConnections (502 Bad Gateway) after 3 attempts`,
    );
  });

  it('a proxy that is down (ECONNREFUSED): one attempt, within a second', async () => {
    vi.stubEnv('https_proxy', `http://127.0.0.1:${await closedPort()}`);

    const { error, elapsedMs } = await lookUp(await clientFor(httpsEndpoint(), 5));

    expect(error).toMatchObject({ name: 'ProxyError', networkCode: 'ECONNREFUSED', $metadata: { attempts: 1 } });
    expect(elapsedMs).toBeLessThan(1_000);
  });
});

describe("a proxy that accepts and never answers: the SDK's per-attempt timeouts hold", () => {
  it('a CONNECT never answered: the 3 s connection timeout ends the attempt (the request has no socket until the tunnel is up)', async () => {
    const proxy = await hangingProxy();
    vi.stubEnv('https_proxy', proxy.url);

    const { error, elapsedMs, message } = await lookUp(await clientFor(httpsEndpoint(), 1));

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((error as Error).message).toMatch(/did not establish a connection with the server within .* 3000 ms/);
    expect(elapsedMs).toBeGreaterThanOrEqual(2_900);
    expect(elapsedMs).toBeLessThan(4_500);
    expect(message).toContain(`AWS calls go through the proxy ${proxy.url} (from https_proxy)`);
  });

  it('an absolute-form request never answered: the 5 s request timeout ends the attempt', async () => {
    const proxy = await hangingProxy();
    vi.stubEnv('http_proxy', proxy.url);

    const { error, elapsedMs } = await lookUp(await clientFor(`http://${HOST}:${port()}`, 1));

    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(elapsedMs).toBeGreaterThanOrEqual(4_900);
    expect(elapsedMs).toBeLessThan(6_500);
  });
});
