// Runs the committed bundle exactly as the GitHub runner does: `node dist/index.js` with INPUT_*
// variables and the GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files, then reads back what a workflow
// would see.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { parse } from 'yaml';

export const ROOT = resolve(import.meta.dirname, '../..');
export const FAKE_SECRET_KEY = 'e2e-Secret-Key-0123456789abcdefABCDEF';

const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as { inputs: Record<string, unknown> };
/** action.yml's inputs by name, each as a runner passes it when unset: its default, but `${{ ... }}` ones empty. */
export const INPUT_DEFAULTS: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(actionYml.inputs).map(([name, spec]) => {
    const fallback = String((spec as { default?: string }).default ?? '');
    return [name, fallback.startsWith('${{') ? '' : fallback];
  }),
);

export interface ActionRun {
  readonly exitCode: number | null;
  readonly stdout: string;
  readonly stderr: string;
  /** GITHUB_OUTPUT parsed: the last value of each name wins, as on the runner. */
  readonly outputs: Record<string, string>;
  readonly summary: string;
  /** Workflow commands printed on stdout (`::error ...::message`). */
  readonly commands: { command: string; message: string }[];
  readonly durationMs: number;
  /** When each stdout line arrived, in ms since the start: a bound timed from a line leaves start-up out. */
  readonly stdoutLines: readonly { readonly atMs: number; readonly text: string }[];
  /** With `preload: ['module-log.js']`: the files of the entry's folder the process loaded, by name. */
  readonly loaded: readonly string[];
}

export interface RunOptions {
  /** Inputs by their action.yml names; the rest get action.yml's defaults. */
  readonly inputs?: Record<string, string>;
  /** Extra environment, e.g. AWS_ENDPOINT_URL_APPRUNNER; `undefined` removes a variable. */
  readonly env?: Record<string, string | undefined>;
  readonly timeoutMs?: number;
  /** The bundle's entry to run; dist/index.js of this checkout by default. */
  readonly entry?: string;
  /** A pull_request event of owner/repo (the event file, GITHUB_REPOSITORY), with GitHub's API at `apiUrl`. */
  readonly pullRequest?: { readonly number: number; readonly apiUrl: string };
  /** Files of __tests__/support/ the process imports first (network-guard.js, module-log.js). */
  readonly preload?: readonly string[];
}

export async function runAction(options: RunOptions = {}): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'action-run-'));
  const [output, summary, moduleLog, event] = ['output', 'summary.md', 'modules.txt', 'event.json'].map((file) => {
    // The runner creates the output and summary files before the step starts.
    writeFileSync(join(dir, file), '');
    return join(dir, file);
  }) as [string, string, string, string];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env['PATH'],
    HOME: tmpdir(),
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    AWS_ACCESS_KEY_ID: 'AKIDE2ETEST',
    AWS_SECRET_ACCESS_KEY: FAKE_SECRET_KEY,
    AWS_EC2_METADATA_DISABLED: 'true',
    // A client or a GitHub call a test forgot to point at a local server reaches a closed loopback port.
    AWS_ENDPOINT_URL: 'http://127.0.0.1:9',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    MODULE_LOG_FILE: moduleLog,
  };
  // `${{ github.token }}` is the runner's to expand; tests give no token unless they need one.
  for (const [name, fallback] of Object.entries(INPUT_DEFAULTS)) {
    env[`INPUT_${name.toUpperCase()}`] = options.inputs?.[name] ?? fallback;
  }
  if (options.preload) {
    env['NODE_OPTIONS'] = options.preload
      .map((file) => `--import=${pathToFileURL(join(ROOT, '__tests__/support', file))}`)
      .join(' ');
  }
  if (options.pullRequest) {
    writeFileSync(event, JSON.stringify({ pull_request: { number: options.pullRequest.number } }));
    Object.assign(env, { GITHUB_EVENT_NAME: 'pull_request', GITHUB_EVENT_PATH: event });
    Object.assign(env, { GITHUB_REPOSITORY: 'owner/repo', GITHUB_API_URL: options.pullRequest.apiUrl });
  }
  for (const [name, value] of Object.entries(options.env ?? {})) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  const entry = options.entry ?? join(ROOT, 'dist/index.js');
  const started = Date.now();
  try {
    const child = spawn(process.execPath, [entry], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const stdoutLines: { atMs: number; text: string }[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      const atMs = Date.now() - started;
      const lines = (stdout.slice(stdout.lastIndexOf('\n') + 1) + chunk.toString()).split('\n');
      stdout += chunk.toString();
      stdoutLines.push(...lines.slice(0, -1).map((text) => ({ atMs, text })));
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // By default longer than any run may take: the throttling budget, then a run's fault bounds.
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 300_000);
    const exitCode = await new Promise<number | null>((done) => child.on('close', (code) => done(code)));
    clearTimeout(timer);
    const folder = dirname(entry);
    return {
      exitCode,
      stdout,
      stderr,
      outputs: parseOutputFile(readFileSync(output, 'utf8')),
      summary: readFileSync(summary, 'utf8'),
      commands: [...stdout.matchAll(/^[ \t]*::([a-z-]+)(?: [^:]*)?::(.*)$/gm)].map(
        ([, command = '', message = '']) => ({
          command,
          message,
        }),
      ),
      durationMs: Date.now() - started,
      stdoutLines,
      loaded: readFileSync(moduleLog, 'utf8')
        .split('\n')
        .filter((url) => url.startsWith('file:') && dirname(fileURLToPath(url)) === folder)
        .map((url) => fileURLToPath(url).slice(folder.length + 1)),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Reads the `name<<DELIMITER ... DELIMITER` blocks that @actions/core writes. */
function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const [, name = '', delimiter = ''] = /^([^<]+)<<(.+)$/.exec(lines[i] ?? '') ?? [];
    if (!name) continue;
    const end = lines.indexOf(delimiter, i + 1);
    outputs[name] = lines.slice(i + 1, end).join('\n');
    i = end;
  }
  return outputs;
}
