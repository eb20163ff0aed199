// Behaviour 13: App Runner calls honour https_proxy, http_proxy and no_proxy (either case) the
// way the Actions toolkit does, and proxy credentials are secrets. The committed bundle runs as
// the runner runs it, under a network guard (support/network-guard.js) that lets the process
// open loopback sockets only and resolve no host name. The endpoint is addressed by a name only
// the test proxy knows, so a run that ignores the proxy fails instead of reaching out.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import { ROOT, type ActionRun } from '../support/run-action.js';
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
/** Resolvable by the action's process too (the guard maps it to 127.0.0.1): reachable with or without the proxy. */
const DIRECT = 'apprunner.direct.test';
const ARN = /^arn:aws:apprunner:us-east-1:123456789012:connection\/proxied-conn\/[0-9a-f]{32}$/;
/** The contract of behaviour 9: a persistent failure ends the step within this long. */
const GIVE_UP_BOUND_MS = 60_000;

const support = (file: string) => pathToFileURL(join(ROOT, '__tests__/support', file)).href;

const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

let certificates: TestCertificates;
beforeAll(() => {
  certificates = makeTestCertificates(PROXY_ONLY);
});
afterAll(() => certificates.remove());

const distText = (file: string) => readFileSync(join(ROOT, 'dist', file), 'utf8');
/**
 * The chunks that hold the proxy agents: the library (its debug name) and ours (the header it
 * sets; index.js sets it too, in @actions/http-client, which is why only chunks are searched).
 */
const PROXY_CHUNKS = readdirSync(join(ROOT, 'dist')).filter(
  (file) =>
    /^\d+\.index\.js$/.test(file) &&
    (distText(file).includes('https-proxy-agent') || distText(file).includes('Proxy-Authorization')),
);

interface GuardedRun extends ActionRun {
  /** The files of dist/ the process loaded. */
  readonly loaded: string[];
}

/**
 * Runs the bundle against `server` under the network guard, with `env` on top (the proxy
 * variables, the endpoint's URL), and records which files of dist/ it loaded.
 */
async function guardedRun(server: LocalAppRunner, env: Record<string, string | undefined>): Promise<GuardedRun> {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-spec-modules-'));
  const moduleLog = join(dir, 'modules.txt');
  try {
    const run = await runAgainst(
      server,
      {},
      {
        NODE_OPTIONS: `--import=${support('network-guard.js')} --import=${support('module-log.js')}`,
        NETWORK_GUARD_HOSTS: `${DIRECT}=127.0.0.1`,
        MODULE_LOG_FILE: moduleLog,
        NODE_EXTRA_CA_CERTS: certificates.caFile,
        ...env,
      },
    );
    const distUrl = pathToFileURL(join(ROOT, 'dist')).href + '/';
    const loaded = readFileIfAny(moduleLog)
      .split('\n')
      .filter((url) => url.startsWith(distUrl))
      .map((url) => url.slice(distUrl.length));
    return { ...run, loaded };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function readFileIfAny(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

type Context = Pick<TestContext, 'onTestFinished'>;

/** A local App Runner endpoint with its plain http:// port and an https:// front, and the URLs that reach them. */
async function startEndpoints() {
  const server = await startLocalAppRunner({ region: REGION });
  const front = await startTlsFront(server.url, certificates);
  const port = new URL(server.url).port;
  return {
    server,
    /** http://apprunner.proxy-only.test:PORT: absolute-form requests through the proxy. */
    http: `http://${PROXY_ONLY}:${port}`,
    /** https://apprunner.proxy-only.test:PORT: a CONNECT tunnel, TLS checked against the test CA. */
    https: `https://${PROXY_ONLY}:${front.port}`,
    httpsTarget: `${PROXY_ONLY}:${front.port}`,
    /** http://apprunner.direct.test:PORT: a name the action's process resolves too. */
    direct: `http://${DIRECT}:${port}`,
    close: async () => {
      await Promise.all([front.close(), server.close()]);
    },
  };
}

/** The endpoints of one test, closed when it ends. */
async function endpoints(context: Context) {
  const started = await startEndpoints();
  context.onTestFinished(() => started.close());
  return started;
}

async function proxyFor(context: Context, options: Partial<TestProxyOptions> = {}): Promise<TestProxy> {
  const proxy = await startTestProxy({ hosts: { [PROXY_ONLY]: '127.0.0.1', [DIRECT]: '127.0.0.1' }, ...options });
  context.onTestFinished(() => proxy.close());
  return proxy;
}

const errorsOf = (run: ActionRun) => run.commands.filter((c) => c.command === 'error').map((c) => c.message);
const diagnose = (run: ActionRun) => `exit ${run.exitCode} after ${run.durationMs} ms\n${run.stdout}\n${run.stderr}`;

describe.concurrent('App Runner calls go through the proxy the environment names', () => {
  it('an http:// endpoint: every call reaches the proxy as an absolute-form request (http_proxy)', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, http } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: http, http_proxy: proxy.url });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(run.outputs['connection-arn']).toMatch(ARN);
    expect(run.outputs['created']).toBe('true');
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    expect(proxy.requests).toEqual([
      { method: 'POST', target: `${http}/`, authorization: undefined },
      { method: 'POST', target: `${http}/`, authorization: undefined },
    ]);
    expect(run.stdout).toContain(
      `App Runner calls to ${PROXY_ONLY}:${new URL(http).port} go through the proxy ${proxy.url} (from http_proxy).`,
    );
    expect(run.stderr).not.toContain('network guard');
  });

  it('an https:// endpoint: one CONNECT tunnel carries the calls, TLS verified with NODE_EXTRA_CA_CERTS (https_proxy)', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https, httpsTarget } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxy.url });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(run.outputs['connection-arn']).toMatch(ARN);
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    // Kept alive: the second call rides the first call's tunnel.
    expect(proxy.requests).toEqual([{ method: 'CONNECT', target: httpsTarget, authorization: undefined }]);
    expect(run.stdout).toContain(`go through the proxy ${proxy.url} (from https_proxy).`);
  });

  it('without proxy variables the run fails on the guard: the endpoint is only reachable through the proxy', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: https });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`network guard: refused the DNS lookup of ${PROXY_ONLY}`);
    expect(errorsOf(run).join('\n')).toContain('network guard');
    expect(server.calls).toEqual([]);
  });
});

describe.concurrent('proxy credentials are used and are secrets', () => {
  const USER = 'ci-runner';
  // Every character that must be percent-encoded in a URL's password, and a % of its own.
  const PASSWORD = 'pr0xy:p@ss/w%rd#?';

  it('a proxy that requires credentials gets them from the URL, and no log line shows them, even with RUNNER_DEBUG=1 and the agents debug log on', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { credentials: { user: USER, password: PASSWORD } });
    const proxyUrl = proxy.urlWith(USER, PASSWORD);
    const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: proxyUrl,
      RUNNER_DEBUG: '1',
      DEBUG: '*',
    });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(proxy.requests.map((request) => request.authorization)).toEqual([`Basic ${basic}`]);
    // Registered with the runner, which masks them in everything the job prints from now on.
    const masks = run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining([PASSWORD.replaceAll('%', '%25'), `Basic ${basic}`]));
    // And printed nowhere else: not in the log, the debug log, the summary or the outputs.
    const shown = [
      ...`${run.stdout}\n${run.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::')),
      run.summary,
      JSON.stringify(run.outputs),
    ].join('\n');
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), basic, proxyUrl]) {
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

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: proxy.urlWith(USER, 'not-the-password'),
    });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `The proxy ${proxy.url} (from https_proxy) did not accept the credentials in https_proxy for ListConnections ` +
        '(407 Proxy Authentication Required). Check the user and password: ' +
        'https_proxy=http://user:password@host:port, with special characters in them percent-encoded.',
    ]);
    // A refusal is not retried: one CONNECT, and App Runner never saw a call.
    expect(proxy.requests).toHaveLength(1);
    expect(server.calls).toEqual([]);
    const printed = `${run.stdout}\n${run.stderr}\n${run.summary}`.split('\n').filter((l) => !/^::add-mask::/.test(l));
    expect(printed.join('\n')).not.toContain('not-the-password');
  });

  it('no credentials for an http:// endpoint through a proxy that wants them (its 407 answer): says to put them in http_proxy', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, http } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished }, { credentials: { user: USER, password: PASSWORD } });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: http, HTTP_PROXY: proxy.url });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `The proxy ${proxy.url} (from HTTP_PROXY) requires credentials for ListConnections ` +
        '(407 Proxy Authentication Required). Give them in the URL: ' +
        'HTTP_PROXY=http://user:password@host:port, with special characters in them percent-encoded.',
    ]);
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

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: proxy.url });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `The proxy ${proxy.url} (from https_proxy) refused to connect to ${httpsTarget} for ListConnections ` +
        `(403 Forbidden). Ask for ${httpsTarget} to be added to the proxy's allow-list, or, if the runner can ` +
        `reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
    ]);
    expect(proxy.requests).toHaveLength(1);
  });

  it('a proxy that is down (connection refused): fails fast, with what to check', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const deadProxy = `http://127.0.0.1:${await closedPort()}`;

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: https, https_proxy: deadProxy });

    console.log(`dead proxy: failed after ${run.durationMs} ms`);
    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      `Could not connect to the proxy ${deadProxy} (from https_proxy) for ListConnections (ECONNREFUSED). ` +
        'Check that the proxy is running and that https_proxy names its host and port, or, if the runner can ' +
        `reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
    ]);
    // Not retried for 10 attempts: a cold start and one refused connection.
    expect(run.durationMs).toBeLessThan(10_000);
    expect(server.calls).toEqual([]);
  });

  it('a variable that names no usable proxy fails before any call, without quoting it', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, https } = await endpoints({ onTestFinished });

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: 'socks5://user:hunter2-secret@127.0.0.1:1080',
    });

    expect(run.exitCode).toBe(1);
    expect(errorsOf(run)).toEqual([
      'https_proxy is set but names no proxy this action can use: write it as http://host:port, or ' +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    ]);
    expect(`${run.stdout}${run.stderr}`).not.toContain('hunter2-secret');
  });
});

describe.concurrent('a proxy that accepts and never answers: the SDK timeouts hold, the step ends within 60 s', () => {
  const hung = {} as Record<'https' | 'http', { run: GuardedRun; connections: number; proxy: string; target: string }>;

  beforeAll(async () => {
    const urls = await startEndpoints();
    const proxies = await Promise.all([startHangingProxy(), startHangingProxy()]);
    try {
      await Promise.all(
        (['https', 'http'] as const).map(async (scheme, index) => {
          const proxy = proxies[index] as HangingServer;
          const endpoint = urls[scheme];
          const run = await guardedRun(urls.server, {
            AWS_ENDPOINT_URL_APPRUNNER: endpoint,
            [`${scheme}_proxy`]: proxy.url,
          });
          hung[scheme] = { run, connections: proxy.connections(), proxy: proxy.url, target: new URL(endpoint).host };
        }),
      );
    } finally {
      await Promise.all([urls.close(), ...proxies.map((proxy) => proxy.close())]);
    }
    console.log(
      `hanging proxy: https:// endpoint (CONNECT) failed after ${hung.https.run.durationMs} ms and ` +
        `${hung.https.connections} connections, http:// endpoint (absolute form) after ${hung.http.run.durationMs} ms ` +
        `and ${hung.http.connections} connections`,
    );
  }, 80_000);

  it.for(['https', 'http'] as const)(
    '%s:// endpoint: retried within the bounds, then a failure that names the proxy',
    (scheme, { expect }) => {
      const { run, connections, proxy, target } = hung[scheme];
      expect(run.exitCode).toBe(1);
      expect(run.durationMs).toBeLessThan(GIVE_UP_BOUND_MS);
      // Each attempt was cut off by a timeout and retried, on a new connection to the proxy.
      expect(connections).toBeGreaterThan(1);
      const [error, ...more] = errorsOf(run);
      expect(more).toEqual([]);
      expect(error).toMatch(/TimeoutError/);
      expect(error).toContain(
        `AWS calls go through the proxy ${proxy} (from ${scheme}_proxy): check that it is up and lets the runner ` +
          `reach ${target}, or, if the runner can reach AWS without it, add ${PROXY_ONLY} to no_proxy.`,
      );
    },
  );
});

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

      const run = await guardedRun(server, {
        AWS_ENDPOINT_URL_APPRUNNER: direct,
        http_proxy: proxy.url,
        no_proxy: noProxy.replace('PORT', new URL(direct).port),
      });

      expect(run.exitCode, diagnose(run)).toBe(0);
      expect(proxy.requests).toEqual([]);
      expect(server.calls).toHaveLength(2);
      expect(run.stdout).toContain(
        `::debug::App Runner calls to ${new URL(direct).host} go direct: no_proxy or a loopback host exempts them from http_proxy.`,
      );
      expect(run.loaded.filter((file) => PROXY_CHUNKS.includes(file))).toEqual([]);
    });

    it('an entry that does not match leaves the endpoint on the proxy', async ({ expect, onTestFinished }) => {
      const { server, direct } = await endpoints({ onTestFinished });
      const proxy = await proxyFor({ onTestFinished });

      const run = await guardedRun(server, {
        AWS_ENDPOINT_URL_APPRUNNER: direct,
        http_proxy: proxy.url,
        no_proxy: 'proxy-only.test,.example.com,irect.test',
      });

      expect(run.exitCode, diagnose(run)).toBe(0);
      expect(proxy.requests.map((request) => request.target)).toEqual([`${direct}/`, `${direct}/`]);
    });
  },
);

describe.concurrent('upper-case variables work as the lower-case ones, which win when both are set', () => {
  it('HTTPS_PROXY carries the calls when https_proxy is not set', async ({ expect, onTestFinished }) => {
    const { server, https, httpsTarget } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: https, HTTPS_PROXY: proxy.url });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(proxy.requests.map((request) => request.target)).toEqual([httpsTarget]);
    expect(run.stdout).toContain('(from HTTPS_PROXY).');
  });

  it('NO_PROXY exempts the endpoint as no_proxy does', async ({ expect, onTestFinished }) => {
    const { server, direct } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: direct,
      HTTP_PROXY: proxy.url,
      NO_PROXY: '.direct.test',
    });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(proxy.requests).toEqual([]);
  });

  it('https_proxy wins over HTTPS_PROXY', async ({ expect, onTestFinished }) => {
    const { server, https } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: https,
      https_proxy: proxy.url,
      HTTPS_PROXY: `http://127.0.0.1:${await closedPort()}`,
    });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(proxy.requests).toHaveLength(1);
  });
});

describe.concurrent('cold start: the proxy code loads only when a proxy applies', () => {
  it('the proxy agents are chunks of their own, not part of index.js', ({ expect }) => {
    expect(PROXY_CHUNKS.length).toBeGreaterThan(0);
    expect(distText('index.js')).not.toContain('https-proxy-agent');
  });

  it('a run without proxy variables loads no proxy chunk', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: server.url });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(run.loaded).toContain('index.js');
    expect(run.loaded.filter((file) => PROXY_CHUNKS.includes(file))).toEqual([]);
  });

  it('a proxied run loads them', async ({ expect, onTestFinished }) => {
    const { server, http } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, { AWS_ENDPOINT_URL_APPRUNNER: http, http_proxy: proxy.url });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(run.loaded).toEqual(expect.arrayContaining(PROXY_CHUNKS));
  });
});
