// Runs the committed bundle exactly as the GitHub runner does: `node dist/index.js`
// with INPUT_* variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, then
// reads back what a workflow would see.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const UNREACHABLE_LOOPBACK = 'http://127.0.0.1:9';
export const FAKE_SECRET_KEY = 'e2e-Secret-Key-0123456789abcdefABCDEF';

interface ActionYml {
  inputs: Record<string, { default?: string }>;
}
const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

export interface ActionRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT parsed: the last value of each name wins, as on the runner. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** The summary's text as a reader sees it: numeric character references decoded. */
  readonly summaryShown: string;
  /** Workflow commands printed on stdout (`::error ...::message`). */
  readonly commands: { command: string; message: string }[];
  readonly durationMs: number;
  /**
   * When each stdout line arrived, in ms since the start: a bound measured from a line the
   * action prints leaves out start-up, which a busy machine stretches.
   */
  readonly stdoutLines: readonly { readonly atMs: number; readonly text: string }[];
}

export interface RunOptions {
  /** Inputs by their action.yml names; the rest get action.yml's defaults. */
  readonly inputs?: Record<string, string>;
  /** Extra environment, e.g. AWS_ENDPOINT_URL_APPRUNNER, GITHUB_EVENT_NAME. */
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** The bundle's entry to run; dist/index.js of this checkout by default. */
  readonly entry?: string;
}

/** The environment a runner gives a step, with defaults for every input, and nothing inherited. */
export function actionEnv(options: RunOptions, files: { output: string; summary: string }): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: tmpdir(),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    AWS_ACCESS_KEY_ID: 'AKIDE2ETEST',
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    // Safety nets: a client or a GitHub call that a test forgot to point at a local server
    // goes to a closed loopback port, never to AWS or GitHub.
    AWS_ENDPOINT_URL: UNREACHABLE_LOOPBACK,
    GITHUB_API_URL: UNREACHABLE_LOOPBACK,
  };
  for (const [name, spec] of Object.entries(actionYml.inputs)) {
    const given = options.inputs?.[name];
    // `${{ github.token }}` is the runner's to expand; tests give no token unless they need one.
    const fallback = spec.default?.startsWith('${{') ? '' : (spec.default ?? '');
    env[`INPUT_${name.toUpperCase()}`] = given ?? fallback;
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

export async function runAction(options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const files = { output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  // The runner creates both files before the step starts.
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const started = Date.now();
  try {
    const child = spawn(process.execPath, [options.entry ?? join(ROOT, 'dist/index.js')], {
      cwd: dir,
      env: actionEnv(options, files),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    const stdoutLines: { atMs: number; text: string }[] = [];
    let partial = '';
    child.stdout.on('data', (chunk: Buffer) => {
      const text = chunk.toString();
      stdout += text;
      const atMs = Date.now() - started;
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      stdoutLines.push(...lines.map((line) => ({ atMs, text: line })));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 80_000);
    const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    clearTimeout(timer);
    const summary = readFileSync(files.summary, 'utf8');
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
      summary,
      summaryShown: summary.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))),
      commands: parseCommands(stdout),
      durationMs: Date.now() - started,
      stdoutLines: partial ? [...stdoutLines, { atMs: Date.now() - started, text: partial }] : stdoutLines,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads the `name<<DELIMITER ... DELIMITER` blocks that @actions/core writes. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const header = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '');
    if (!header) continue;
    const [, name = '', delimiter] = header;
    const end = lines.indexOf(delimiter ?? '', i + 1);
    outputs[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}

/** Lines the runner would take as workflow commands: `::name props::message`, after leading spaces. */
export function parseCommands(stdout: string): { command: string; message: string }[] {
  return stdout
    .split('\n')
    .map((line) => /^\s*::([a-z-]+)(?: [^:]*)?::(.*)$/.exec(line))
    .filter((match) => match !== null)
    .map((match) => ({ command: match[1] ?? '', message: match[2] ?? '' }));
}
