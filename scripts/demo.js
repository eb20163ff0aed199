// npm run demo: the whole story of a connection, told by the built action against the local App
// Runner endpoint, run the way a GitHub runner runs it (INPUT_* variables, GITHUB_OUTPUT and
// GITHUB_STEP_SUMMARY files): a run creates the connection, which stays PENDING_HANDSHAKE with the
// steps of the handshake in its job summary; the local endpoint plays the person who completes the
// handshake; a run that waits for it ends AVAILABLE; a last run reuses the connection. Each run
// prints its log, its outputs and its job summary as a person reads it (the Markdown file).
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
const RUN_TIMEOUT_MS = 60_000;
const NAME = 'demo-connection';
/** The repository the workflow runs in, as the runner says: the handshake guide names it. */
const REPOSITORY = 'acme/web-shop';

/** The inputs every run gives, by their action.yml names; the rest keep action.yml's defaults. */
const INPUTS = { 'connection-name': NAME, tags: 'team=platform\nenv=demo', region: 'us-east-1' };

/**
 * @typedef {import('../local/apprunner-endpoint.js').LocalAppRunner} LocalAppRunner
 * @type {{ title: string, inputs?: Record<string, string>, before?: (endpoint: LocalAppRunner) => string }[]}
 */
const STORY = [
  { title: 'Run 1: creates the connection, which waits for its handshake' },
  {
    title: 'Run 2: waits for the handshake, which a person completes meanwhile',
    inputs: { 'wait-for-handshake': '30s', 'poll-interval': '2s' },
    before: (endpoint) => {
      // The person: the connection is still pending at this run's lookup, and AVAILABLE at its first status check.
      endpoint.flipToAvailableAfter(NAME, 1);
      return 'The local endpoint plays the person in the App Runner console: the handshake completes while this run waits.';
    },
  },
  { title: 'Run 3: reuses the connection, now AVAILABLE' },
];

async function main() {
  if (!existsSync(action)) {
    console.error(`dist/index.js is missing (looked for ${action}).`);
    console.error('Build the action first (npm run bundle), then run npm run demo again.');
    return 1;
  }

  const endpoint = await startLocalAppRunner();
  console.log(`Local App Runner endpoint: ${endpoint.url}; the workflow runs in ${REPOSITORY}.`);
  let failed = 0;
  try {
    for (const step of STORY) {
      console.log('');
      console.log(`=== ${step.title} ===`);
      const note = step.before?.(endpoint);
      if (note) console.log(note);
      if (!(await demoRun(endpoint, step.inputs ?? {}))) failed += 1;
    }
  } finally {
    await endpoint.close();
  }

  console.log('');
  console.log(failed === 0 ? `All ${STORY.length} runs succeeded.` : `${failed} of ${STORY.length} runs failed.`);
  console.log('Run the tests with: npm test. Rebuild the action after changing src/ with: npm run bundle.');
  return failed === 0 ? 0 : 1;
}

/**
 * One run of `node dist/index.js`, printed section by section.
 * @param {LocalAppRunner} endpoint
 * @param {Record<string, string>} inputs added to INPUTS
 * @returns {Promise<boolean>} whether the action exited 0
 */
async function demoRun(endpoint, inputs) {
  const dir = await mkdtemp(join(tmpdir(), 'apprunner-demo-'));
  try {
    const outputFile = join(dir, 'github_output');
    const summaryFile = join(dir, 'step_summary');
    await writeFile(outputFile, '');
    await writeFile(summaryFile, '');
    const callsBefore = endpoint.calls.length;
    const env = runnerEnv({
      inputs: { ...INPUTS, ...inputs },
      env: {
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_REPOSITORY: REPOSITORY,
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
    const given = Object.entries({ ...INPUTS, ...inputs }).map(([name, value]) => `${name}=${JSON.stringify(value)}`);
    console.log(`inputs: ${given.join(', ')}`);

    const result = await timedRun(process.execPath, [action], { env, cwd: root, timeoutMs: RUN_TIMEOUT_MS });

    console.log(`$ node dist/index.js  -> ${describeExit(result)} in ${Math.round(result.ms)} ms`);
    printSection('log (stdout)', withoutNodeVersionWarning(result.stdout));
    const stderr = withoutNodeVersionWarning(result.stderr);
    if (stderr.trim() !== '') printSection('log (stderr)', stderr);
    // As a workflow reads them: the last value of each; a wait sets the status again as it changes.
    /** @type {Map<string, string[]>} */
    const outputs = new Map();
    for (const [name, value] of parseOutputFile(await readFile(outputFile, 'utf8'))) {
      const values = outputs.get(name) ?? [];
      if (values.at(-1) !== value) values.push(value);
      outputs.set(name, values);
    }
    printSection(
      'outputs ($GITHUB_OUTPUT)',
      outputs.size === 0
        ? '(none)'
        : [...outputs]
            .map(([name, values]) => {
              const earlier = values.slice(0, -1);
              return `${name} = ${values.at(-1)}${earlier.length > 0 ? ` (set to ${earlier.join(', then ')} first)` : ''}`;
            })
            .join('\n'),
    );
    const summary = await readFile(summaryFile, 'utf8');
    printSection('job summary ($GITHUB_STEP_SUMMARY, Markdown)', summary.trim() === '' ? '(empty)' : summary);
    const calls = endpoint.calls.slice(callsBefore);
    printSection(
      'App Runner API calls',
      calls.length === 0
        ? '(none)'
        : calls
            .map((c) => `${c.operation} -> ${c.status ?? 'no answer'}${c.errorType ? ` ${c.errorType}` : ''}`)
            .join('\n'),
    );
    return result.code === 0;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
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
