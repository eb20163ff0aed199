// What App Runner connection users trip over (issue 18), on the committed bundle as the runner
// runs it: the account id on public repositories, a quota that runs out, a region from the AWS
// configuration or one App Runner does not run in, the repository the connector app must see,
// and answers that only claim to be App Runner's.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterAll, beforeAll, describe, it, type TestContext } from 'vitest';

import { startLocalAppRunner, type LocalAppRunner } from '../../local/apprunner-endpoint.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { appRunnerOperation, startHostileFront } from '../support/hostile-front.js';
import { annotations } from '../support/log-lines.js';
import { ROOT, type ActionRun, runAction } from '../support/run-action.js';

const ACCOUNT_ID = '123456789012';
const GUARD = pathToFileURL(join(ROOT, '__tests__/support/network-guard.js')).href;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'issue-18-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function endpoint(context: Pick<TestContext, 'onTestFinished'>, region = 'us-east-1'): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner({ region });
  context.onTestFinished(() => server.close());
  return server;
}

function runAgainst(
  server: LocalAppRunner,
  inputs: Record<string, string>,
  env: Record<string, string | undefined> = {},
) {
  return runAction({
    inputs: { region: server.region, ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, ...env },
  });
}

const shown = (text: string) => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)));
const logOf = (run: ActionRun) => `exit ${run.exitCode}\n${run.stdout}\n${run.stderr}`;

describe.concurrent('mask-aws-account-id: the account id stays out of what public repositories show', () => {
  it('on: registered as a secret before any line shows it, absent from the summary and the comment, kept in the output', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpoint({ onTestFinished });
    const github = await startFakeGitHub();
    onTestFinished(() => github.close());
    const eventPath = join(dir, `pr-${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(eventPath, JSON.stringify({ pull_request: { number: 7 } }));

    const run = await runAgainst(
      server,
      {
        'connection-name': 'masked-conn',
        'mask-aws-account-id': 'true',
        'comment-on-pr': 'true',
        'github-token': 'ghs_maskTestToken0123456789',
      },
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_EVENT_PATH: eventPath,
        GITHUB_REPOSITORY: 'owner/repo',
        GITHUB_API_URL: github.url,
      },
    );

    expect(run.exitCode, logOf(run)).toBe(0);
    const lines = run.stdout.split('\n');
    const mask = lines.indexOf(`::add-mask::${ACCOUNT_ID}`);
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(mask).toBeLessThan(lines.findIndex((line) => !line.startsWith('::add-mask::') && line.includes(ACCOUNT_ID)));
    expect(run.outputs['connection-arn']).toMatch(
      new RegExp(`^arn:aws:apprunner:us-east-1:${ACCOUNT_ID}:connection/masked-conn/`),
    );
    expect(shown(run.summary)).not.toContain(ACCOUNT_ID);
    expect(shown(run.summary)).toContain('arn:aws:apprunner:us-east-1:<account-id>:connection/masked-conn/');
    const [comment, ...more] = github.comments(7);
    expect(more).toEqual([]);
    expect(shown(comment?.body ?? '')).not.toContain(ACCOUNT_ID);
    expect(comment?.body).toContain('masked-conn');
  });

  it('off (the default): no mask, and the summary shows the ARN as it is', async ({ expect, onTestFinished }) => {
    const server = await endpoint({ onTestFinished });

    const run = await runAgainst(server, { 'connection-name': 'plain-conn' });

    expect(run.exitCode, logOf(run)).toBe(0);
    expect(run.stdout).not.toContain('::add-mask::');
    expect(shown(run.summary)).toContain(run.outputs['connection-arn']);
  });
});

describe.concurrent('a reached connection quota names the connections that hold it', () => {
  it('ten connections of mixed statuses: the failure and the summary list them, leftovers first, with how to delete each', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpoint({ onTestFinished });
    const statuses = ['AVAILABLE', 'PENDING_HANDSHAKE', 'ERROR', 'AVAILABLE', 'PENDING_HANDSHAKE'] as const;
    const seeded = Array.from({ length: 10 }, (_, i) => ({
      name: `quota-${i}`,
      status: statuses[i % 5] ?? 'AVAILABLE',
    }));
    for (const connection of seeded) server.seedConnection(connection);
    server.seedConnection({ name: 'quota-gone', status: 'DELETED' });
    server.injectFault({ operation: 'CreateConnection', type: 'ServiceQuotaExceededException' });

    const run = await runAgainst(server, { 'connection-name': 'one-too-many' });

    expect(run.exitCode, logOf(run)).toBe(1);
    const [error, ...more] = annotations(run, 'error');
    expect(more).toEqual([]);
    expect(error).toContain(
      'The App Runner connection quota in us-east-1 is reached, so CreateConnection was refused.',
    );
    const leftovers = seeded.filter((c) => c.status !== 'AVAILABLE').map((c) => c.name);
    const inUse = seeded.filter((c) => c.status === 'AVAILABLE').map((c) => c.name);
    const named = [...(error ?? '').matchAll(/(quota-\w+) \(GITHUB, (\w+), created/g)].map(([, name]) => name);
    expect(named).toEqual([...leftovers, ...inUse]);
    expect(error).toContain('https://us-east-1.console.aws.amazon.com/servicequotas/home/services/apprunner/quotas');
    const rows = shown(run.summary)
      .split('\n')
      .filter((line) => /^\| <code>quota-/.test(line));
    expect(rows).toHaveLength(10);
    for (const { name } of seeded) {
      const arn = server.connections().find((c) => c.name === name)?.arn;
      expect(shown(run.summary)).toContain(
        `aws apprunner delete-connection --connection-arn ${arn} --region us-east-1`,
      );
    }
    expect(run.outputs).toEqual({});
    expect(server.calls.map((call) => [call.operation, call.body?.['ConnectionName']])).toEqual([
      ['ListConnections', 'one-too-many'],
      ['CreateConnection', 'one-too-many'],
      ['ListConnections', undefined],
    ]);
  });
});

describe.concurrent('the region: from the AWS configuration, and only where App Runner runs', () => {
  it('takes the region of the profile in AWS_CONFIG_FILE when neither the input nor AWS_REGION names one', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpoint({ onTestFinished }, 'eu-west-1');
    // A runner set up like a workstation: a named profile with its region and its keys.
    const config = join(dir, 'config-ci');
    const credentials = join(dir, 'credentials-ci');
    writeFileSync(config, '[default]\nregion = us-west-2\n\n[profile ci]\nregion = eu-west-1\n');
    writeFileSync(credentials, '[ci]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = profile-secret\n');

    const run = await runAgainst(
      server,
      { 'connection-name': 'profile-conn', region: '' },
      { AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: credentials, AWS_PROFILE: 'ci' },
    );

    expect(run.exitCode, logOf(run)).toBe(0);
    expect(server.calls.every((call) => call.accessKeyId === 'AKIDPROFILE')).toBe(true);
    expect(run.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:eu-west-1:/);
    expect(run.outputs['handshake-url']).toContain('region=eu-west-1');
  });

  it('fails naming the region input when the AWS configuration names no region either', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpoint({ onTestFinished });
    const config = join(dir, 'config-empty');
    writeFileSync(config, '[default]\noutput = json\n');

    const run = await runAgainst(
      server,
      { 'connection-name': 'no-region', region: '' },
      {
        AWS_CONFIG_FILE: config,
        AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-credentials'),
      },
    );

    expect(run.exitCode).toBe(1);
    expect(annotations(run, 'error')).toEqual([
      "Input 'region' is empty, neither AWS_REGION nor AWS_DEFAULT_REGION is set, and the AWS configuration names " +
        'no region: set the region input, or set aws-region in aws-actions/configure-aws-credentials.',
    ]);
    expect(server.count()).toBe(0);
  });

  // No endpoint is configured in these two: the regional AWS endpoint would be called, and the
  // network guard refuses every DNS lookup and every socket that is not loopback.
  const guarded = { AWS_ENDPOINT_URL: undefined, NODE_OPTIONS: `--import=${GUARD}` };

  it('sa-east-1: says App Runner does not run there and names the regions it runs in, without a call', async ({
    expect,
  }) => {
    const run = await runAction({ inputs: { 'connection-name': 'south-conn', region: 'sa-east-1' }, env: guarded });

    expect(run.exitCode).toBe(1);
    expect(annotations(run, 'error')).toEqual([
      'App Runner does not run in sa-east-1 (from the region input): it runs in us-east-1, us-east-2, us-west-2, ' +
        'ap-south-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, eu-central-1, eu-west-1, eu-west-2, eu-west-3. ' +
        'Set the region input, or aws-region of aws-actions/configure-aws-credentials, to one of them.',
    ]);
    expect(run.stderr).not.toContain('network guard: refused');
  });

  it('eu-west-1 whose endpoint does not resolve: the network wording, not the region one', async ({ expect }) => {
    const run = await runAction({
      inputs: { 'connection-name': 'west-conn', region: 'eu-west-1' },
      env: { ...guarded, NETWORK_GUARD_DNS_CODE: 'ENOTFOUND', AWS_MAX_ATTEMPTS: '2' },
    });

    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('network guard: refused the DNS lookup of apprunner.eu-west-1.amazonaws.com');
    expect(annotations(run, 'error')).toEqual([
      'App Runner did not answer ListConnections (ENOTFOUND) after 2 attempts. Check that region eu-west-1 is right ' +
        'and that the runner can reach AWS.',
    ]);
  });
});

describe.concurrent('the handshake guide names the repository the AWS Connector app must see', () => {
  it('names GITHUB_REPOSITORY, and that an organization needs one of its owners to install the app', async ({
    expect,
    onTestFinished,
  }) => {
    const server = await endpoint({ onTestFinished });

    const run = await runAgainst(server, { 'connection-name': 'repo-conn' }, { GITHUB_REPOSITORY: 'acme/web-shop' });

    expect(run.exitCode, logOf(run)).toBe(0);
    expect(shown(run.summary)).toContain(
      'give it access to <code>acme/web-shop</code>, the repository this workflow runs in',
    );
    expect(run.summary).toContain('installing it on an organization takes an owner of that organization');
  });
});

describe.concurrent('answers that only claim to be App Runner’s are reported by their HTTP status', () => {
  const APP_RUNNER_HEADERS = { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'f00d-1234' };

  it.for<{ what: string; status: number; headers: Record<string, string>; says: string }>([
    { what: 'a 404 with an empty body', status: 404, headers: {}, says: 'HTTP 404, application/x-amz-json-1.0, which' },
    {
      what: 'a 302 to a sign-in page',
      status: 302,
      headers: { location: 'https://sso.example.test/login' },
      says: 'HTTP 302, application/x-amz-json-1.0 (a redirect to https://sso.example.test/login), which',
    },
  ])(
    '$what, with App Runner’s content type and a request id',
    async ({ status, headers, says }, { expect, onTestFinished }) => {
      const server = await endpoint({ onTestFinished });
      const front = await startHostileFront(server.url, appRunnerOperation);
      onTestFinished(() => front.close());
      front.misbehave(
        'ListConnections',
        { kind: 'answer', status, headers: { ...APP_RUNNER_HEADERS, ...headers } },
        Infinity,
      );

      const run = await runAction({
        inputs: { 'connection-name': 'impostor', region: 'us-east-1' },
        env: { AWS_ENDPOINT_URL_APPRUNNER: front.url, AWS_MAX_ATTEMPTS: '2' },
      });

      expect(run.exitCode).toBe(1);
      const [error, ...more] = annotations(run, 'error');
      expect(more).toEqual([]);
      expect(error).toContain(`The endpoint answered ListConnections with ${says} is not an answer from App Runner.`);
      expect(error).toContain('check the proxy or firewall in between');
      expect(error).not.toMatch(/Unknown/);
      expect(run.outputs).toEqual({});
    },
  );
});
