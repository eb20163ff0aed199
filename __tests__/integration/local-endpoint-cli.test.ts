// The local endpoint as a contributor starts it by hand (`node local/apprunner-endpoint.js`), driven
// with plain awsJson1_0 requests: the flags that reach the quota refusal, throttling and a completed
// handshake without a test harness. Everything on 127.0.0.1; no test waits on a clock.

import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

import { afterEach, describe, expect, it } from 'vitest';

const PROGRAM = fileURLToPath(new URL('../../local/apprunner-endpoint.js', import.meta.url));
const USAGE =
  'usage: node local/apprunner-endpoint.js [--port N] [--seed name[:STATUS]]... [--rate-limit N] [--page-size N] ' +
  '[--quota N] [--throttle N] [--handshake-after SECONDS]';

const running: ChildProcess[] = [];

/** Starts the program on a free port of 127.0.0.1 and returns its URL, from the line it prints. */
async function startProgram(...flags: string[]): Promise<string> {
  const child = spawn(process.execPath, [PROGRAM, '--port', '0', ...flags], { stdio: ['ignore', 'pipe', 'pipe'] });
  running.push(child);
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
      if (url !== undefined) resolve(url);
    });
    child.once('exit', (code) => reject(new Error(`the endpoint exited with ${code}: ${stderr}`)));
  });
}

afterEach(async () => {
  await Promise.all(
    running.splice(0).map(
      (child) =>
        new Promise((resolve) => {
          if (child.exitCode !== null) return resolve(undefined);
          child.once('exit', resolve);
          child.kill('SIGTERM');
        }),
    ),
  );
});

interface Answer {
  status: number;
  body: Record<string, unknown>;
}

/** One App Runner call as the SDK sends it: POST /, the operation in X-Amz-Target, a JSON body. */
async function call(url: string, operation: string, body: Record<string, unknown> = {}): Promise<Answer> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `AppRunner.${operation}`,
      Authorization:
        'AWS4-HMAC-SHA256 Credential=AKIDLOCALTEST/20261207/us-east-1/apprunner/aws4_request, ' +
        'SignedHeaders=host;x-amz-date, Signature=0',
    },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const create = (url: string, name: string): Promise<Answer> =>
  call(url, 'CreateConnection', { ConnectionName: name, ProviderType: 'GITHUB' });

async function statuses(url: string): Promise<Record<string, string>> {
  const { body } = await call(url, 'ListConnections');
  const list = body['ConnectionSummaryList'] as { ConnectionName: string; Status: string }[];
  return Object.fromEntries(list.map((c) => [c.ConnectionName, c.Status]));
}

describe('node local/apprunner-endpoint.js', () => {
  it('--quota N refuses CreateConnection with ServiceQuotaExceededException once N live connections exist', async () => {
    const url = await startProgram('--quota', '2', '--seed', 'first-one');
    expect((await create(url, 'second-one')).status).toBe(200);

    const refused = await create(url, 'third-one');
    expect(refused.status).toBe(402);
    expect(refused.body['__type']).toBe('ServiceQuotaExceededException');

    const { body } = await call(url, 'ListConnections', { ConnectionName: 'first-one' });
    const [first] = body['ConnectionSummaryList'] as { ConnectionArn: string }[];
    expect((await call(url, 'DeleteConnection', { ConnectionArn: first?.ConnectionArn })).status).toBe(200);
    expect((await create(url, 'third-one')).status, 'a deleted connection frees its place').toBe(200);
  });

  it('--throttle N answers the next N calls with ThrottlingException, then serves', async () => {
    const url = await startProgram('--throttle', '2');
    const answers = [await call(url, 'ListConnections'), await call(url, 'ListConnections')];
    for (const { status, body } of answers) {
      expect(status).toBe(400);
      expect(body).toEqual({ __type: 'ThrottlingException', Message: 'Rate exceeded' });
    }
    expect((await call(url, 'ListConnections')).status).toBe(200);
  });

  it.each([
    ['0', 'completes the handshake of every pending connection from its creation on', 'AVAILABLE'],
    ['3600', 'leaves a pending connection pending until then', 'PENDING_HANDSHAKE'],
  ])('--handshake-after %s %s', async (seconds, _does, listed) => {
    const url = await startProgram('--handshake-after', seconds, '--seed', 'seeded-one', '--seed', 'broken-one:ERROR');
    const created = await create(url, 'created-one');
    expect((created.body['Connection'] as { Status: string }).Status, 'as CreateConnection answers').toBe(
      'PENDING_HANDSHAKE',
    );
    expect(await statuses(url)).toEqual({ 'seeded-one': listed, 'broken-one': 'ERROR', 'created-one': listed });
  });

  it.each([
    [['--quota', '-1'], '--quota needs a whole number of at least 0, not -1'],
    [['--throttle', '0'], '--throttle needs a whole number of at least 1, not 0'],
    [['--handshake-after', 'soon'], '--handshake-after needs seconds, not soon'],
    [['--handshake-after'], '--handshake-after needs a value'],
  ])('refuses %j with exit code 2 and the usage line', (flags, message) => {
    const result = spawnSync(process.execPath, [PROGRAM, ...flags], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`${message}\n${USAGE}\n`);
  });
});

describe("CONTRIBUTING.md's recipe", () => {
  it('lists every flag of the usage line but --port, and writes the outputs and the summary to files it shows', () => {
    const contributing = readFileSync(new URL('../../CONTRIBUTING.md', import.meta.url), 'utf8');
    const recipe = contributing.slice(contributing.indexOf('## Running the action locally'));
    const documented = [...recipe.matchAll(/^\| `(--[a-z-]+)/gm)].map(([, flag]) => flag);
    const usage = [...USAGE.matchAll(/\[(--[a-z-]+)/g)].map(([, flag]) => flag).filter((flag) => flag !== '--port');
    expect([...documented].sort()).toEqual([...usage].sort());
    expect(recipe).toMatch(/GITHUB_OUTPUT="\$out" GITHUB_STEP_SUMMARY="\$summary"/);
    expect(recipe).toContain('cat "$out"');
    expect(recipe).toContain('cat "$summary"');
  });
});
