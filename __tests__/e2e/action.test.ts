// The action as a workflow runs it: `node dist/index.js` with INPUT_* variables, read
// back through GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, stdout and the exit code.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFinished } from 'vitest';

import { type LocalAppRunner, startLocalAppRunner } from '../../local/apprunner-endpoint.js';
import { ROOT, type RunOptions, runAction } from '../support/run-action.js';

let appRunner: LocalAppRunner;

// In two fault modes the action must survive: a name filter that matches prefixes and pages
// of one connection, so the exact name can sit on a later page among longer names.
beforeAll(async () => {
  appRunner = await startLocalAppRunner({ pageSize: 1, prefixNameFilter: true });
});
afterAll(() => appRunner.close());

/** An endpoint of another region for one test: its ARNs name that region. */
async function endpointIn(region: string): Promise<LocalAppRunner> {
  const server = await startLocalAppRunner({ region });
  onTestFinished(() => server.close());
  return server;
}
beforeEach(() => appRunner.reset());

function run(inputs: Record<string, string>, env: RunOptions['env'] = {}) {
  return runAction({
    inputs: { region: 'us-east-1', ...inputs },
    env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url, ...env },
  });
}

const errorsOf = (result: Awaited<ReturnType<typeof runAction>>) =>
  result.commands.filter((command) => command.command === 'error').map((command) => command.message);

describe('create, then reuse', () => {
  it('creates the connection with its tags on the first run and reuses it on the second', async () => {
    const inputs = { 'connection-name': 'web-app', tags: 'team=platform\n# a comment\n\nenv = preview' };

    const first = await run(inputs);
    const second = await run(inputs);

    expect(first.exitCode).toBe(0);
    expect(first.outputs).toEqual({
      'connection-arn': expect.stringMatching(/^arn:aws:apprunner:us-east-1:\d{12}:connection\/web-app\/\w+$/),
      'connection-name': 'web-app',
      'connection-status': 'PENDING_HANDSHAKE',
      'provider-type': 'GITHUB',
      created: 'true',
      'handshake-url': 'https://us-east-1.console.aws.amazon.com/apprunner/home?region=us-east-1#/connections',
    });
    expect(second.exitCode).toBe(0);
    expect(second.outputs).toEqual({ ...first.outputs, created: 'false' });
    expect(appRunner.connections()).toMatchObject([
      { name: 'web-app', providerType: 'GITHUB', tags: { team: 'platform', env: 'preview' } },
    ]);
    expect(appRunner.calls.map((call) => call.operation)).toEqual([
      'ListConnections',
      'CreateConnection',
      'ListConnections',
      'ListTagsForResource',
    ]);
  });

  it('reuses an existing connection with exactly one API call when no tags are given', async () => {
    const arn = appRunner.seedConnection({ name: 'web-app', status: 'AVAILABLE', providerType: 'BITBUCKET' });

    const result = await run({ 'connection-name': 'web-app', 'provider-type': 'bitbucket' });

    expect(result.exitCode).toBe(0);
    expect(result.outputs).toMatchObject({
      'connection-arn': arn,
      'connection-status': 'AVAILABLE',
      'provider-type': 'BITBUCKET',
      created: 'false',
    });
    expect(appRunner.count()).toBe(1);
    expect(result.commands.filter((command) => command.command === 'notice')).toEqual([]);
  });

  it('finds the exact name on a later page and does not take a connection that only shares its prefix', async () => {
    appRunner.seedConnection({ name: 'web-app-old', status: 'AVAILABLE' });
    appRunner.seedConnection({ name: 'web-app-2', status: 'AVAILABLE' });
    const arn = appRunner.seedConnection({ name: 'web-app', status: 'AVAILABLE' });

    const result = await run({ 'connection-name': 'web-app' });

    expect(result.outputs['connection-arn']).toBe(arn);
    expect(appRunner.count('ListConnections')).toBe(3);
    expect(appRunner.count('CreateConnection')).toBe(0);
  });

  it('creates a new connection when the only one of that name, or of that prefix, is DELETED or different', async () => {
    const deleted = appRunner.seedConnection({ name: 'web-app', status: 'DELETED' });
    appRunner.seedConnection({ name: 'web-app-two', status: 'AVAILABLE' });

    const result = await run({ 'connection-name': 'web-app' });

    expect(result.outputs['created']).toBe('true');
    expect(result.outputs['connection-arn']).not.toBe(deleted);
    expect(appRunner.connections().filter((c) => c.name === 'web-app' && c.status !== 'DELETED')).toHaveLength(1);
  });
});

describe('the job summary and the handshake notice', () => {
  it('shows the table and a numbered handshake guide for a pending connection, with a notice annotation', async () => {
    const euWest1 = await endpointIn('eu-west-1');
    const result = await run(
      { 'connection-name': 'web-app', region: 'eu-west-1' },
      { AWS_ENDPOINT_URL_APPRUNNER: euWest1.url },
    );

    expect(result.summary).toContain('| Field | Value |\n| --- | --- |\n| Name |');
    expect(result.summaryShown).toContain('| Status | **<code>PENDING_HANDSHAKE</code>** |');
    expect(result.summaryShown).toContain('| Region | <code>eu-west-1</code> |');
    expect(result.summary).toContain('| Created or reused | created by this run |');
    expect(result.summary).toMatch(/1\. Open the \[App Runner connections page\]\(https:\/\/eu-west-1\.console/);
    expect(result.summary).toContain('2. Select <code>web-app</code> and choose **Complete handshake**.');
    expect(result.commands).toContainEqual({
      command: 'notice',
      message: expect.stringContaining('https://eu-west-1.console.aws.amazon.com/apprunner/home?region=eu-west-1'),
    });
  });
});

describe('a job summary file that cannot be written is a warning, not a failure', () => {
  it('exits 0 with the outputs set and one warning saying why', async () => {
    const result = await run(
      { 'connection-name': 'no-summary' },
      { GITHUB_STEP_SUMMARY: join(tmpdir(), 'no-such-folder-for-the-summary', 'summary.md') },
    );

    expect(result.exitCode, result.stdout).toBe(0);
    expect(result.outputs['connection-arn']).toMatch(/^arn:aws:apprunner:us-east-1:\d{12}:connection\/no-summary\//);
    expect(result.commands.filter((command) => command.command === 'warning')).toEqual([
      {
        command: 'warning',
        message: expect.stringMatching(
          /^Could not write the job summary \(Error: Unable to access summary file: .*\)\. The step's outputs and log have the same details\.$/,
        ),
      },
    ]);
  });
});

describe('an ERROR connection fails the step with its outputs set', () => {
  it('exits 1, says how to recover, and still writes the ARN', async () => {
    const arn = appRunner.seedConnection({ name: 'broken-conn', status: 'ERROR' });

    const result = await run({ 'connection-name': 'broken-conn' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'ERROR', created: 'false' });
    expect(errorsOf(result)).toEqual([expect.stringContaining(`delete-connection --connection-arn ${arn}`)]);
    expect(result.summary).toContain('### The connection is in ERROR');
  });
});

describe('bad input fails before any request', () => {
  it.each([
    [{ 'connection-name': 'ab' }, "Input 'connection-name' must be 4-32 characters"],
    [{ 'connection-name': 'web-app', 'provider-type': 'gitlab' }, "Input 'provider-type' must be GITHUB or BITBUCKET"],
    [{ 'connection-name': 'web-app', tags: 'aws:team=x' }, "Input 'tags': the key \"aws:team\" starts with 'aws:'"],
    [{ 'connection-name': 'web-app', tags: '{"a":"1","a":"2"}' }, 'Input \'tags\' names the key "a" more than once'],
    [{ 'connection-name': 'web-app', 'dry-run': 'yes' }, "Input 'dry-run' must be true or false"],
  ])('rejects %o naming the input and the rule', async (inputs, message) => {
    const result = await run(inputs);

    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([expect.stringContaining(message)]);
    expect(result.outputs).toEqual({});
    expect(appRunner.count()).toBe(0);
  });

  it('takes the region from AWS_DEFAULT_REGION when that is all there is', async () => {
    const result = await runAction({
      inputs: { 'connection-name': 'web-app' },
      env: {
        AWS_ENDPOINT_URL_APPRUNNER: (await endpointIn('ap-southeast-2')).url,
        AWS_DEFAULT_REGION: 'ap-southeast-2',
      },
    });

    expect(result.exitCode).toBe(0);
    expect(result.outputs['handshake-url']).toContain('region=ap-southeast-2');
  });
});

describe('AWS errors say what to do', () => {
  it('names the IAM action when CreateConnection is denied', async () => {
    appRunner.denyOperation('CreateConnection');

    const result = await run({ 'connection-name': 'web-app' });

    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([expect.stringContaining('Add the IAM action apprunner:CreateConnection')]);
    expect(result.outputs).toEqual({});
  });

  it('points at aws-actions/configure-aws-credentials when there are no credentials at all', async () => {
    const result = await run(
      { 'connection-name': 'web-app' },
      { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined },
    );

    expect(result.exitCode).toBe(1);
    expect(errorsOf(result)).toEqual([expect.stringContaining('aws-actions/configure-aws-credentials')]);
    expect(appRunner.count()).toBe(0);
  });

  it('explains a reached quota, which App Runner answers with HTTP 402', async () => {
    appRunner.injectFault({ operation: 'CreateConnection', type: 'ServiceQuotaExceededException' });

    const result = await run({ 'connection-name': 'web-app' });

    expect(result.exitCode).toBe(1);
    expect(appRunner.calls.find((call) => call.operation === 'CreateConnection')?.status).toBe(402);
    expect(errorsOf(result)).toEqual([
      expect.stringMatching(/connection quota in us-east-1 is reached.*Service Quotas/),
    ]);
  });

  it('says App Runner is closed to new customers, not to add an IAM permission, when AWS says so', async () => {
    // AWS has not published the answer; another service closed the same way answers this.
    appRunner.injectFault({
      operation: 'ListConnections',
      type: 'AccessDeniedException',
      status: 403,
      message: 'App Runner is no longer available to new customers.',
    });

    const result = await run({ 'connection-name': 'web-app' });

    expect(result.exitCode).toBe(1);
    const [error] = errorsOf(result);
    expect(error).toMatch(/App Runner refused ListConnections because it is closed to new customers/);
    expect(error).toContain('https://docs.aws.amazon.com/apprunner/latest/dg/apprunner-availability-change.html');
    expect(error).not.toContain('Add the IAM action');
    expect(result.outputs).toEqual({});
  });

  it('keeps the outputs of a reused connection when TagResource is refused, and a rerun converges', async () => {
    const arn = appRunner.seedConnection({ name: 'web-app', status: 'AVAILABLE', tags: { team: 'old' } });
    appRunner.denyOperation('TagResource');

    const refused = await run({ 'connection-name': 'web-app', tags: 'team=new' });

    expect(refused.exitCode).toBe(1);
    expect(refused.outputs).toMatchObject({ 'connection-arn': arn, created: 'false' });
    expect(errorsOf(refused)).toEqual([expect.stringContaining('apprunner:TagResource')]);
    expect(refused.summary).toContain('**The step failed:**');

    appRunner.reset();
    const arnAgain = appRunner.seedConnection({ name: 'web-app', status: 'AVAILABLE', tags: { team: 'old' } });
    const rerun = await run({ 'connection-name': 'web-app', tags: 'team=new' });

    expect(rerun.exitCode).toBe(0);
    expect(appRunner.connections().find((c) => c.arn === arnAgain)?.tags).toEqual({ team: 'new' });
  });
});

describe('the bundle runs on its own, as on a runner', () => {
  it('creates a connection from a folder that holds only dist/ and action.yml, no node_modules', async () => {
    const alone = mkdtempSync(join(tmpdir(), 'bundle-alone-'));
    onTestFinished(() => rmSync(alone, { recursive: true, force: true }));
    cpSync(join(ROOT, 'dist'), join(alone, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'action.yml'), join(alone, 'action.yml'));

    const result = await runAction({
      entry: join(alone, 'dist/index.js'),
      inputs: { 'connection-name': 'bundle-alone', region: 'us-east-1' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: appRunner.url },
    });

    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.outputs['created']).toBe('true');
    expect(result.stderr).not.toMatch(/Cannot find (module|package)|ERR_MODULE_NOT_FOUND/);
  });
});

describe('the user agent names the action', () => {
  it('sends apprunner-connection-action and its version with every request', async () => {
    const result = await run({ 'connection-name': 'web-app' });
    const seen = appRunner.calls.map((call) => call.userAgent);

    expect(result.exitCode).toBe(0);
    expect(seen.length).toBeGreaterThan(0);
    for (const agent of seen) expect(agent).toMatch(/apprunner-connection-action[#/]1\.0\.0/);
  });
});
