// The shell as only the bundle shows it: `node dist/index.js` run as the runner runs it, read back
// through GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, the log's workflow commands and the exit code. What a
// run decides and how it words it is specified in process; here, that the bundle writes it where a
// workflow and a person see it, and starts no workflow command it did not mean.
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, it } from 'vitest';

import { ACTION_VERSION } from '../../src/version.js';
import { startFakeGitHub } from '../support/fake-github.js';
import { localRuns } from '../support/local-run.js';
import { annotations, anyLineStartsACommand, asRunnerShows, foreignCommandLines } from '../support/log-lines.js';
import { ROOT, runAction } from '../support/run-action.js';

const REGION = 'us-east-1';
const NAME = 'wired-conn';
const ACCOUNT_ID = '123456789012';
const CONSOLE = `https://${REGION}.console.aws.amazon.com/apprunner/home?region=${REGION}#/connections`;
const { endpointFor, runAgainst } = localRuns({ connectionName: NAME, region: REGION });

describe.concurrent('a passing run writes its outputs, its notice and its job summary', () => {
  it('a create writes every output, a notice and a summary to follow', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });

    const run = await runAgainst(server, { tags: 'team=platform' }, { GITHUB_REPOSITORY: 'acme/web-shop' });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const arn = server.connections()[0]?.arn;
    expect(run.outputs).toEqual({
      'connection-arn': arn,
      'connection-name': NAME,
      'connection-status': 'PENDING_HANDSHAKE',
      'provider-type': 'GITHUB',
      created: 'true',
      'handshake-url': CONSOLE,
    });
    expect(annotations(run, 'notice')).toEqual([expect.stringContaining(CONSOLE)]);
    expect(annotations(run, 'error')).toEqual([]);
    expect(run.summary).toContain(`| ARN | \`${arn}\` |`);
    expect(run.summary).toContain('| Tags (set at creation) | `team=platform` |');
    expect(run.summary).toContain('### Finish the handshake');
    expect(run.summary).toContain('`acme/web-shop`, the repository this workflow runs in');
    expect(run.stdout).not.toContain('::add-mask::');
    // A create carries its tags: there is nothing to read back.
    expect(server.calls.map((call) => call.operation)).toEqual(['ListConnections', 'CreateConnection']);
    for (const { userAgent } of server.calls)
      expect(userAgent).toMatch(new RegExp(`apprunner-connection-action[#/]${ACTION_VERSION.replaceAll('.', '\\.')}`));
  });

  it('an unwritable summary file is one warning; the run still passes', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const arn = server.seedConnection({ name: NAME, status: 'AVAILABLE' });

    const run = await runAgainst(server, {}, { GITHUB_STEP_SUMMARY: join(tmpdir(), 'no-such-folder', 'summary.md') });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'AVAILABLE', created: 'false' });
    expect(annotations(run, 'warning')).toEqual([
      expect.stringMatching(
        /^Could not write the job summary \(.*\)\. The step's outputs and log have the same details\.$/,
      ),
    ]);
    expect(annotations(run, 'notice')).toEqual([]);
    expect(server.count()).toBe(1);
  });
});

describe.concurrent('a failing run: exit 1, one error annotation, what it knew, a summary that leads with why', () => {
  it('a connection in ERROR: exit 1, outputs set, recovery steps once', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const arn = server.seedConnection({ name: NAME, status: 'ERROR' });

    const run = await runAgainst(server);

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ 'connection-arn': arn, 'connection-status': 'ERROR', created: 'false' });
    expect(annotations(run, 'error')).toEqual([expect.stringMatching(/^Connection wired-conn is in status ERROR/)]);
    expect(run.summary).toMatch(/^## App Runner connection `wired-conn`\n\n\*\*The step failed\.\*\* Connection/);
    expect(run.summary).toContain('### Recover the connection');
    expect(run.summary.split(`delete-connection --connection-arn ${arn}`)).toHaveLength(2);
  });

  it('refused inputs: one line each in the annotation and the summary', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const bad = { 'connection-name': 'ab', 'provider-type': 'gitlab', tags: 'aws:team=x', 'dry-run': 'yes' };

    const run = await runAgainst(server, bad);

    expect(run.exitCode).toBe(1);
    const [error = '', ...more] = annotations(run, 'error');
    expect(more).toEqual([]);
    const named = (line: string) => /^(- `)?Input '([a-z-]+)'/.exec(line)?.[2];
    expect(asRunnerShows(error).split('\n').map(named)).toEqual(Object.keys(bad));
    expect(run.summary).toMatch(/^## The step refused its inputs\n/);
    expect(run.summary.split('\n').map(named).filter(Boolean)).toEqual(Object.keys(bad));
    expect(run.outputs).toEqual({});
    expect(server.count()).toBe(0);
  });
});

describe.concurrent('mask-aws-account-id keeps the account id out of what others see', () => {
  it('masks the id before any line shows it; others see <account-id>', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const github = await startFakeGitHub();
    onTestFinished(() => github.close());

    const run = await runAction({
      inputs: { 'connection-name': NAME, 'mask-aws-account-id': 'true', 'comment-on-pr': 'true', 'github-token': 't' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION },
      pullRequest: { number: 7, apiUrl: github.url },
    });

    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const lines = run.stdout.split('\n');
    const mask = lines.indexOf(`::add-mask::${ACCOUNT_ID}`);
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(mask).toBeLessThan(lines.findIndex((line) => line.includes(ACCOUNT_ID) && !line.startsWith('::add-mask')));
    // The output keeps the real ARN: the runner masks it in the log.
    expect(run.outputs['connection-arn']).toContain(`:${ACCOUNT_ID}:connection/${NAME}/`);
    const [comment, ...more] = github.comments(7);
    expect(more).toEqual([]);
    for (const shown of [run.summary, comment?.body ?? '']) {
      expect(shown).toContain(`arn:aws:apprunner:${REGION}:<account-id>:connection/${NAME}/`);
      expect(shown).not.toContain(ACCOUNT_ID);
    }
  });

  it('masks an id first seen in the failure, as when AWS names the caller', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const caller = 'arn:aws:sts::111122223333:assumed-role/deploy/run';
    const message = `User: ${caller} is not authorized to perform: apprunner:ListConnections`;
    server.injectFault({ operation: 'ListConnections', type: 'AccessDeniedException', message });

    const run = await runAction({
      inputs: { 'connection-name': NAME, 'mask-aws-account-id': 'true' },
      env: { AWS_ENDPOINT_URL_APPRUNNER: server.url, AWS_REGION: REGION },
    });

    const lines = run.stdout.split('\n');
    const mask = lines.indexOf('::add-mask::111122223333');
    expect(mask, run.stdout).toBeGreaterThanOrEqual(0);
    expect(mask).toBeLessThan(lines.findIndex((line) => line.startsWith('::error::Access denied')));
    expect(run.summary).toContain('arn:aws:sts::<account-id>:assumed-role/deploy/run');
  });
});

describe.concurrent('text from outside starts no workflow command in the real log', () => {
  it('an AWS message built to start commands is shown, inert', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    const arn = server.seedConnection({ name: NAME, tags: { team: 'old' } });
    const message = 'refused\n::warning::INJECTED\n::stop-commands::token\n##[error]INJECTED\r::add-mask::x';
    server.injectFault({ operation: 'TagResource', type: 'InvalidRequestException', message });

    const run = await runAgainst(server, { tags: 'team=new' });

    expect(run.exitCode).toBe(1);
    // The outputs come before tagging, so a refused TagResource leaves them set.
    expect(run.outputs['connection-arn']).toBe(arn);
    const [error = '', ...more] = annotations(run, 'error');
    expect(more).toEqual([]);
    expect(asRunnerShows(error)).toContain('INJECTED');
    expect(anyLineStartsACommand(asRunnerShows(error))).toBe(false);
    expect(foreignCommandLines(run)).toEqual([]);
  });

  it('tags built to start commands are logged on lines that start none', async ({ expect, onTestFinished }) => {
    const server = await endpointFor({ onTestFinished });
    server.seedConnection({ name: NAME, status: 'AVAILABLE' });
    const tags = {
      '::warning::INJECTED-key': '::add-mask::INJECTED',
      legacy: '##[error]INJECTED',
      newline: 'x\n::warning::INJECTED\r::set-output name=connection-arn::INJECTED',
      bidi: '\u202eINJECTED \u001b[31mINJECTED',
    };

    const run = await runAgainst(server, { tags: JSON.stringify(tags) });

    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.stdout).toMatch(/^Applied tags: .*INJECTED/m);
    expect(foreignCommandLines(run)).toEqual([]);
    for (const character of ['\u202e', '\u001b']) expect(run.stdout).not.toContain(character);
    expect(run.outputs['connection-arn']).toBe(server.connections()[0]?.arn);
  });
});

describe('the bundle runs on its own, from dist/ and action.yml without node_modules', () => {
  it('a bad input is refused before the SDK loads; a create works alone', async ({ expect, onTestFinished }) => {
    const alone = mkdtempSync(join(tmpdir(), 'bundle-alone-'));
    onTestFinished(() => rmSync(alone, { recursive: true, force: true }));
    cpSync(join(ROOT, 'dist'), join(alone, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'action.yml'), join(alone, 'action.yml'));
    const server = await endpointFor({ onTestFinished });
    const runAlone = (name: string) =>
      runAction({
        entry: join(alone, 'dist/index.js'),
        inputs: { 'connection-name': name, region: REGION },
        env: { AWS_ENDPOINT_URL_APPRUNNER: server.url },
        preload: ['module-log.js'],
      });
    const chunksWith = (loaded: readonly string[], text: string) =>
      loaded.filter((file) => readFileSync(join(alone, 'dist', file), 'utf8').includes(text));

    const refused = await runAlone('no good');
    const created = await runAlone('bundle-alone');

    expect(refused.exitCode).toBe(1);
    expect(annotations(refused, 'error')).toEqual([expect.stringContaining("Input 'connection-name'")]);
    expect(refused.loaded).toContain('index.js');
    expect(chunksWith(refused.loaded, 'AppRunnerClient')).toEqual([]);
    expect(created.exitCode, created.stdout + created.stderr).toBe(0);
    expect(created.outputs['created']).toBe('true');
    expect(chunksWith(created.loaded, 'AppRunnerClient')).toHaveLength(1);
    // The proxy agents load only when a proxy applies (proxy.test.ts sees them load).
    expect(chunksWith(created.loaded, 'https-proxy-agent')).toEqual([]);
  });
});
