// Behaviour 13 through the committed bundle, for what only the bundle can show: one proxy tunnel
// end to end (an https:// endpoint through CONNECT, TLS verified with the real NODE_EXTRA_CA_CERTS),
// the credentials kept out of the runner's real log even with RUNNER_DEBUG=1 (only its
// ::add-mask:: lines carry them), the proxy agents as chunks of their own that a run without a
// proxy never loads, and one refusal as the runner shows it. The bundle runs as the runner runs
// it, under a network guard (support/network-guard.js, preloaded) that lets the process open
// loopback sockets only and resolve no host name but DIRECT. The endpoint is addressed by a name
// only the test proxy knows, so a run that ignores the proxy fails instead of reaching out. Every
// other proxy behaviour (http_proxy, upper case, no_proxy's forms, refusals, a dead or hanging
// proxy, the guard holding) is pinned in process in in-process/proxy.test.ts.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { localRuns } from '../support/local-run.js';
import { ROOT, type ActionRun } from '../support/run-action.js';
import {
  makeTestCertificates,
  startTestProxy,
  startTlsFront,
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

/** A local App Runner endpoint with an https:// front, and the URLs that reach them. */
async function startEndpoints() {
  const server = await startLocalAppRunner({ region: REGION });
  const front = await startTlsFront(server.url, certificates);
  const port = new URL(server.url).port;
  return {
    server,
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
/** Every line the runner prints as it is: all of stdout and stderr but the ::add-mask:: commands it swallows. */
const printedLines = (run: ActionRun) =>
  `${run.stdout}\n${run.stderr}`.split('\n').filter((line) => !line.startsWith('::add-mask::'));

const USER = 'ci-runner';
// Every character that must be percent-encoded in a URL's password, and a % of its own.
const PASSWORD = 'pr0xy:p@ss/w%rd#?';

describe.concurrent('one proxy tunnel end to end, with credentials, RUNNER_DEBUG=1 and the agents debug log on', () => {
  const basic = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');
  let tunnel: {
    run: GuardedRun;
    proxy: TestProxy;
    proxyUrl: string;
    operations: string[];
    httpsTarget: string;
  };

  beforeAll(async () => {
    const urls = await startEndpoints();
    const proxy = await startTestProxy({
      hosts: { [PROXY_ONLY]: '127.0.0.1' },
      credentials: { user: USER, password: PASSWORD },
    });
    try {
      const proxyUrl = proxy.urlWith(USER, PASSWORD);
      const run = await guardedRun(urls.server, {
        AWS_ENDPOINT_URL_APPRUNNER: urls.https,
        https_proxy: proxyUrl,
        RUNNER_DEBUG: '1',
        DEBUG: '*',
      });
      const operations = urls.server.calls.map((call) => call.operation);
      tunnel = { run, proxy, proxyUrl, operations, httpsTarget: urls.httpsTarget };
    } finally {
      await Promise.all([urls.close(), proxy.close()]);
    }
  });

  it('an https:// endpoint: one CONNECT tunnel carries the calls, TLS verified with NODE_EXTRA_CA_CERTS (https_proxy)', ({
    expect,
  }) => {
    const { run, proxy, operations, httpsTarget } = tunnel;
    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(run.outputs['connection-arn']).toMatch(ARN);
    expect(run.outputs['created']).toBe('true');
    expect(operations).toEqual(['ListConnections', 'CreateConnection']);
    // Kept alive: the second call rides the first call's tunnel, which carried the credentials.
    expect(proxy.requests).toEqual([{ method: 'CONNECT', target: httpsTarget, authorization: `Basic ${basic}` }]);
    expect(run.stdout).toContain(
      `App Runner calls to ${httpsTarget} go through the proxy ${proxy.url} (from https_proxy).`,
    );
    expect(run.stderr).not.toContain('network guard');
  });

  it('the credentials are registered with the runner (::add-mask::) and printed nowhere else: not in the log, the debug log, the summary or the outputs', ({
    expect,
  }) => {
    const { run, proxy, proxyUrl } = tunnel;
    // The agents' debug log was on: it prints the proxy it connects to, and must print no credentials.
    expect(run.stderr).toContain('https-proxy-agent Upgrading socket connection to TLS');
    // Registered with the runner, which masks them in everything the job prints from now on.
    const masks = run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining([PASSWORD.replaceAll('%', '%25'), `Basic ${basic}`]));
    const shown = [...printedLines(run), run.summary, JSON.stringify(run.outputs)].join('\n');
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), basic, proxyUrl]) {
      expect(shown).not.toContain(secret);
    }
    expect(shown).toContain(`the proxy ${proxy.url} (from https_proxy)`);
  });

  it('a proxied run loads the proxy chunks', ({ expect }) => {
    expect(tunnel.run.loaded).toEqual(expect.arrayContaining(PROXY_CHUNKS));
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

  it('a run whose endpoint no_proxy exempts loads no proxy chunk, and its debug log says why', async ({
    expect,
    onTestFinished,
  }) => {
    const { server, direct } = await endpoints({ onTestFinished });
    const proxy = await proxyFor({ onTestFinished });

    const run = await guardedRun(server, {
      AWS_ENDPOINT_URL_APPRUNNER: direct,
      http_proxy: proxy.url,
      no_proxy: '.direct.test',
      RUNNER_DEBUG: '1',
    });

    expect(run.exitCode, diagnose(run)).toBe(0);
    expect(proxy.requests).toEqual([]);
    expect(server.calls).toHaveLength(2);
    expect(run.stdout).toContain(
      `::debug::App Runner calls to ${new URL(direct).host} go direct: no_proxy or a loopback host exempts them from http_proxy.`,
    );
    expect(run.loaded).toContain('index.js');
    expect(run.loaded.filter((file) => PROXY_CHUNKS.includes(file))).toEqual([]);
  });
});

describe('a refusal as the runner shows it', () => {
  it('wrong credentials (407 to CONNECT): one error annotation naming the proxy, at once, the password in no line but ::add-mask::', async ({
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
    expect(run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message)).toContain('not-the-password');
    expect([...printedLines(run), run.summary].join('\n')).not.toContain('not-the-password');
  });
});
