// One proxy tunnel end to end through the bundle (behaviour 13): an https:// endpoint reached by a
// CONNECT with credentials, TLS verified with NODE_EXTRA_CA_CERTS, in debug mode, the proxy agents
// loaded as their own chunk. The process runs under the network guard (support/network-guard.js):
// loopback sockets only, and the endpoint's host name is one only the test proxy resolves, so a run
// that ignored the proxy would fail rather than reach out. Every other proxy behaviour is in process.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterAll, beforeAll, describe, it } from 'vitest';

import { startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { FAKE_SECRET_KEY, ROOT, runAction } from '../support/run-action.js';
import { makeTestCertificates, startTestProxy, startTlsFront, type TestCertificates } from '../support/test-proxy.js';

const REGION = 'us-east-1';
const PROXY_ONLY = 'apprunner.proxy-only.test';
const USER = 'ci-runner';
// Every character that must be percent-encoded in a URL's password, and a % of its own.
const PASSWORD = 'pr0xy:p@ss/w%rd#?';
const BASIC = Buffer.from(`${USER}:${PASSWORD}`).toString('base64');

let certificates: TestCertificates;
beforeAll(() => {
  certificates = makeTestCertificates(PROXY_ONLY);
});
afterAll(() => certificates.remove());

describe('one proxy tunnel, with credentials, RUNNER_DEBUG=1 and the agents debug log on', () => {
  it('one CONNECT carries the calls; credentials only in ::add-mask::', async ({ expect, onTestFinished }) => {
    const server = await startLocalAppRunner({ region: REGION });
    const front = await startTlsFront(server.url, certificates);
    const proxy = await startTestProxy({
      hosts: { [PROXY_ONLY]: '127.0.0.1' },
      credentials: { user: USER, password: PASSWORD },
    });
    onTestFinished(async () => {
      await Promise.all([proxy.close(), front.close()]);
      await server.close();
    });
    const target = `${PROXY_ONLY}:${front.port}`;
    const proxyUrl = proxy.urlWith(USER, PASSWORD);

    const run = await runAction({
      inputs: { 'connection-name': 'proxied-conn', region: REGION },
      env: {
        AWS_ENDPOINT_URL_APPRUNNER: `https://${target}`,
        https_proxy: proxyUrl,
        NODE_EXTRA_CA_CERTS: certificates.caFile,
        RUNNER_DEBUG: '1',
        DEBUG: '*',
      },
      preload: ['network-guard.js', 'module-log.js'],
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:us-east-1:\d{12}:connection\/proxied-conn\//);
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    // Kept alive: the create rides the lookup's tunnel, which carried the credentials.
    expect(proxy.requests).toEqual([{ method: 'CONNECT', target, authorization: `Basic ${BASIC}` }]);
    expect(run.stdout).toContain(`App Runner calls to ${target} go through the proxy ${proxy.url} (from https_proxy).`);
    expect(run.stderr).toContain('https-proxy-agent');
    expect(run.stderr).not.toContain('network guard');
    const masks = run.commands.filter((c) => c.command === 'add-mask').map((c) => c.message);
    expect(masks).toEqual(expect.arrayContaining([PASSWORD.replaceAll('%', '%25'), `Basic ${BASIC}`]));
    const printed = [run.stdout, run.stderr]
      .join('\n')
      .split('\n')
      .filter((line) => !line.startsWith('::add-mask::'));
    const shown = [...printed, run.summary, JSON.stringify(run.outputs)].join('\n');
    for (const secret of [PASSWORD, encodeURIComponent(PASSWORD), BASIC, proxyUrl, FAKE_SECRET_KEY]) {
      expect(shown).not.toContain(secret);
    }
    const chunk = (file: string) => readFileSync(join(ROOT, 'dist', file), 'utf8');
    expect(run.loaded.filter((file) => chunk(file).includes('https-proxy-agent'))).toHaveLength(1);
  });
});
