// Behaviour 13 in one process: the action's real App Runner client (createAppRunnerClient in
// src/aws-client.ts) with the proxy agents src/proxy.ts picks (resolveProxy, proxyRouting) from an
// environment passed as a value, against the test proxy and the local endpoint. What the SDK's
// retry strategy and timeouts make of a proxy that refuses, fails, is down or hangs, measured per
// attempt, with the per-attempt timeouts given in milliseconds. The whole step through a proxy
// (its log, its masking, no_proxy) is in in-process/proxy.test.ts; the bundle in e2e/proxy.test.ts.
// The endpoint's name is known to the test proxy only. This file's vitest worker is a process of
// its own, and it installs the network guard (support/network-guard.js, as the bundle's specs
// preload it) before anything else: loopback sockets only, no DNS lookup at all, so a client that
// ignored the proxy would fail on the guard instead of reaching out.

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { createAppRunnerClient, type ObservedClient } from '../../src/aws-client.js';
import { findConnection } from '../../src/connection.js';
import type { Environment } from '../../src/environment.js';
import { describeFailure } from '../../src/failure.js';
import { PRODUCTION_LIMITS, type Limits } from '../../src/limits.js';
import { proxyRouting, resolveProxy, type ProxyRouting } from '../../src/proxy.js';
import { guardThisProcess } from '../support/network-guard.js';
import {
  closedPort,
  startHangingProxy,
  startTestProxy,
  type HangingServer,
  type TestProxy,
} from '../support/test-proxy.js';

guardThisProcess();

const REGION = 'us-east-1';
const HOST = 'apprunner.proxy-only.test';
/**
 * Per-attempt timeouts far apart, so which one ended an attempt shows in its duration: the
 * connection timeout covers the CONNECT (a request has no socket until the tunnel is up), the
 * request timeout an absolute-form request the proxy never answers.
 */
const TIMEOUTS = { connectionTimeoutMs: 300, requestTimeoutMs: 1_500 } as const;

let server: LocalAppRunner;
const closeAfter: { close(): Promise<unknown> }[] = [];
const clients: ObservedClient[] = [];

beforeAll(async () => {
  server = await startLocalAppRunner({ region: REGION });
});
afterAll(() => server.close());
beforeEach(() => server.reset());
afterEach(async () => {
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

interface ProxiedClient extends ObservedClient {
  readonly routing: ProxyRouting;
}

/**
 * The action's client for `endpoint`, through the proxy `proxyEnv` names, with `attempts`
 * attempts a call (AWS_MAX_ATTEMPTS, as a runner would set it).
 */
async function clientFor(endpoint: string, proxyEnv: Environment, attempts: number): Promise<ProxiedClient> {
  const env: Environment = { ...proxyEnv, AWS_ENDPOINT_URL_APPRUNNER: endpoint, AWS_MAX_ATTEMPTS: String(attempts) };
  const resolved = resolveProxy(new URL(endpoint), env);
  if (!resolved) throw new Error(`no proxy for ${endpoint}`);
  const routing = await proxyRouting(endpoint, resolved);
  const limits: Limits = { ...PRODUCTION_LIMITS, ...TIMEOUTS };
  const observed = createAppRunnerClient({ region: REGION, env, limits, routing });
  clients.push(observed);
  return { ...observed, routing };
}

/** One lookup through the client: what it threw, after how long, and the message the step would fail with. */
async function lookUp({ client, lastAttemptError, routing }: ProxiedClient) {
  const started = Date.now();
  try {
    await findConnection(client, { name: 'proxied-conn', region: REGION });
  } catch (error) {
    const message = describeFailure(error, {
      region: REGION,
      lastAttempt: lastAttemptError(),
      proxy: routing.route,
      secrets: routing.secrets,
    });
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
    const endpoint = `http://${HOST}:${port()}`;

    const { client, routing } = await clientFor(endpoint, { http_proxy: proxy.url }, 1);

    expect(routing.endpoint).toBe(endpoint);
    expect(routing.httpAgent).toBeDefined();
    expect(routing.httpsAgent).toBeUndefined();
    expect(await findConnection(client, { name: 'absent-conn', region: REGION })).toBeUndefined();
    expect(proxy.requests).toEqual([{ method: 'POST', target: `${endpoint}/`, authorization: undefined }]);
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections']);
  });

  it('an https:// endpoint gets the tunnelling agent, which sends the credentials in Proxy-Authorization to CONNECT', async () => {
    const proxy = await testProxy();
    const proxied = await clientFor(httpsEndpoint(), { https_proxy: proxy.urlWith('ci', 'p@ss word') }, 1);

    expect(proxied.routing.httpsAgent).toBeDefined();
    expect(proxied.routing.httpAgent).toBeUndefined();
    expect(proxied.routing.secrets).toEqual([
      'p@ss word',
      'p%40ss%20word',
      `Basic ${Buffer.from('ci:p@ss word').toString('base64')}`,
    ]);
    // The endpoint's port speaks plain HTTP, so the call fails after the tunnel; the CONNECT is what counts here.
    await lookUp(proxied);
    expect(proxy.requests[0]).toEqual({
      method: 'CONNECT',
      target: `${HOST}:${port()}`,
      authorization: `Basic ${Buffer.from('ci:p@ss word').toString('base64')}`,
    });
  });
});

describe('a proxy that refuses or is down ends the call at once; one that failed upstream is retried', () => {
  it('407 to CONNECT: one attempt, a ProxyError with the status', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 407 });

    const { error, message } = await lookUp(await clientFor(httpsEndpoint(), { https_proxy: proxy.url }, 5));

    expect(error).toMatchObject({ name: 'ProxyError', status: 407, $metadata: { attempts: 1 } });
    expect(proxy.requests).toHaveLength(1);
    expect(message).toMatch(/^The proxy http:\/\/127\.0\.0\.1:\d+ \(from https_proxy\) requires credentials/);
  });

  it('403 to CONNECT: one attempt', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 403 });

    const { error } = await lookUp(await clientFor(httpsEndpoint(), { https_proxy: proxy.url }, 5));

    expect(error).toMatchObject({ name: 'ProxyError', status: 403, statusText: 'Forbidden' });
    expect(proxy.requests).toHaveLength(1);
  });

  it('502 to CONNECT (the proxy could not reach AWS) is retried like a 5xx of AWS itself', async () => {
    const proxy = await testProxy({ [`${HOST}:${port()}`]: 502 });

    const { error, message } = await lookUp(await clientFor(httpsEndpoint(), { https_proxy: proxy.url }, 3));

    expect(error).toMatchObject({ name: 'ProxyError', status: 502, $metadata: { attempts: 3 } });
    expect(proxy.requests).toHaveLength(3);
    expect(message).toContain(
      `could not reach ${HOST}:${port()} for ListConnections (502 Bad Gateway) after 3 attempts`,
    );
  });

  it('a proxy that is down (ECONNREFUSED): one attempt, within a second', async () => {
    const dead = `http://127.0.0.1:${await closedPort()}`;

    const { error, elapsedMs } = await lookUp(await clientFor(httpsEndpoint(), { https_proxy: dead }, 5));

    expect(error).toMatchObject({ name: 'ProxyError', networkCode: 'ECONNREFUSED', $metadata: { attempts: 1 } });
    expect(elapsedMs).toBeLessThan(1_000);
  });
});

describe("a proxy that accepts and never answers: the SDK's per-attempt timeouts hold", () => {
  it('a CONNECT never answered: the connection timeout ends the attempt (the request has no socket until the tunnel is up)', async () => {
    const proxy = await hangingProxy();

    const { error, elapsedMs, message } = await lookUp(await clientFor(httpsEndpoint(), { https_proxy: proxy.url }, 1));

    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect((error as Error).message).toMatch(
      new RegExp(`did not establish a connection with the server within .* ${TIMEOUTS.connectionTimeoutMs} ms`),
    );
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.connectionTimeoutMs - 20);
    // Well before the request timeout could have ended it.
    expect(elapsedMs).toBeLessThan(TIMEOUTS.requestTimeoutMs);
    expect(message).toContain(`AWS calls go through the proxy ${proxy.url} (from https_proxy)`);
  });

  it('an absolute-form request never answered: the request timeout ends the attempt', async () => {
    const proxy = await hangingProxy();

    const { error, elapsedMs, message } = await lookUp(
      await clientFor(`http://${HOST}:${port()}`, { http_proxy: proxy.url }, 1),
    );

    expect(error).toMatchObject({ name: 'TimeoutError', code: 'ETIMEDOUT' });
    expect(elapsedMs).toBeGreaterThanOrEqual(TIMEOUTS.requestTimeoutMs - 20);
    expect(elapsedMs).toBeLessThan(TIMEOUTS.requestTimeoutMs + 1_500);
    expect(message).toContain(`AWS calls go through the proxy ${proxy.url} (from http_proxy)`);
  });
});
