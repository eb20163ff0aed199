// npm run demo: runs the built action twice against the local App Runner endpoint, the way a
// GitHub runner runs it (INPUT_* variables, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files), and
// prints what a person would see: the log, the outputs and the job summary.
// Nothing leaves 127.0.0.1: fake credentials, no instance metadata, a local endpoint.

import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { startLocalAppRunner } from '../local/apprunner-endpoint.js';
import { describeExit, parseOutputFile, runnerEnv, timedRun, withoutNodeVersionWarning } from './runner-env.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const action = join(root, 'dist', 'index.js');
const RUN_TIMEOUT_MS = 90_000;

const RUNS = [{ title: 'Run 1: creates the connection' }, { title: 'Run 2: reuses it' }];

/** The inputs given, by their action.yml names; the rest keep action.yml's defaults. */
const INPUTS = {
  'connection-name': 'demo-connection',
  tags: 'team=platform\nenv=demo',
  region: 'us-east-1',
};

async function main() {
  if (!existsSync(action)) {
    console.error(`dist/index.js is missing (looked for ${action}).`);
    console.error('Build the action first (npm run build), then run npm run demo again.');
    return 1;
  }

  const endpoint = await startLocalAppRunner();
  console.log(`Local App Runner endpoint: ${endpoint.url}`);
  let failed = 0;
  try {
    for (const run of RUNS) {
      const ok = await demoRun(run.title, endpoint);
      if (!ok) failed += 1;
    }
  } finally {
    await endpoint.close();
  }

  console.log('');
  console.log(failed === 0 ? 'Both runs succeeded.' : `${failed} of ${RUNS.length} runs failed.`);
  console.log('Run the tests with: npm test (or npx vitest run)');
  return failed === 0 ? 0 : 1;
}

/**
 * One run of `node dist/index.js`, printed section by section.
 * @param {string} title
 * @param {import('../local/apprunner-endpoint.js').LocalAppRunner} endpoint
 * @returns {Promise<boolean>} whether the action exited 0
 */
async function demoRun(title, endpoint) {
  const dir = await mkdtemp(join(tmpdir(), 'apprunner-demo-'));
  const outputFile = join(dir, 'github_output');
  const summaryFile = join(dir, 'step_summary');
  await writeFile(outputFile, '');
  await writeFile(summaryFile, '');
  const callsBefore = endpoint.calls.length;

  const env = runnerEnv({
    inputs: INPUTS,
    env: {
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: summaryFile,
      AWS_ENDPOINT_URL_APPRUNNER: endpoint.url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCAL',
      AWS_SECRET_ACCESS_KEY: 'local-secret',
      AWS_EC2_METADATA_DISABLED: 'true',
      // No shared config or credentials files: a profile there must not change where calls go.
      AWS_CONFIG_FILE: join(dir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(dir, 'no-aws-credentials'),
      PATH: process.env.PATH ?? '/usr/bin:/bin',
    },
  });

  console.log('');
  console.log(`=== ${title} ===`);
  const result = await timedRun(process.execPath, [action], { env, cwd: root, timeoutMs: RUN_TIMEOUT_MS });

  console.log(`$ node dist/index.js  -> ${describeExit(result)} in ${Math.round(result.ms)} ms`);
  printSection('log (stdout)', withoutNodeVersionWarning(result.stdout));
  const stderr = withoutNodeVersionWarning(result.stderr);
  if (stderr.trim() !== '') printSection('log (stderr)', stderr);

  const outputs = parseOutputFile(await readFile(outputFile, 'utf8'));
  printSection(
    'outputs ($GITHUB_OUTPUT)',
    outputs.length === 0
      ? '(none)'
      : outputs.map(([name, value]) => `${name} = ${value.replaceAll('\n', '\n    ')}`).join('\n'),
  );
  const summary = await readFile(summaryFile, 'utf8');
  printSection('job summary ($GITHUB_STEP_SUMMARY)', summary.trim() === '' ? '(empty)' : summary);

  const calls = endpoint.calls.slice(callsBefore);
  printSection(
    'App Runner API calls',
    calls.length === 0
      ? '(none)'
      : calls
          .map((c) => `${c.operation} -> ${c.status ?? 'no answer'}${c.errorType ? ` ${c.errorType}` : ''}`)
          .join('\n'),
  );

  await rm(dir, { recursive: true, force: true });
  return result.code === 0;
}

/**
 * @param {string} heading
 * @param {string} text
 */
function printSection(heading, text) {
  console.log(`--- ${heading} ---`);
  console.log(text.replace(/\n+$/, ''));
}

process.exitCode = await main();
