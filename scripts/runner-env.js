// What a GitHub runner gives `node dist/index.js`, for scripts/demo.js and scripts/bench.js: the
// environment of a step (INPUT_* for every input of action.yml), and readers for what a run prints
// and writes (its log, its GITHUB_OUTPUT file).

import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { parse } from 'yaml';

/** @type {{ inputs: Record<string, { default?: unknown }> }} */
const actionYml = parse(readFileSync(new URL('../action.yml', import.meta.url), 'utf8'));

/**
 * Every input of action.yml with its default; a `${{ ... }}` default (github-token's
 * `${{ github.token }}`) is the runner's to expand, so it becomes ''.
 * @type {Readonly<Record<string, string>>}
 */
export const INPUT_DEFAULTS = Object.freeze(
  Object.fromEntries(
    Object.entries(actionYml.inputs).map(([name, spec]) => {
      const value = spec.default === undefined || spec.default === null ? '' : String(spec.default);
      return [name, value.trimStart().startsWith('${{') ? '' : value];
    }),
  ),
);

/**
 * The environment of a step that runs the action: INPUT_ + the input's name upper-cased (hyphens
 * kept, as the runner does) for every input of action.yml, with its default unless `inputs` gives
 * it, then `env` on top. Nothing is inherited from this process: pass PATH and the like in `env`.
 * @param {{ inputs?: Record<string, string>, env?: Record<string, string> }} [options]
 *   inputs by their action.yml names; env such as GITHUB_OUTPUT, AWS_ENDPOINT_URL_APPRUNNER
 * @returns {Record<string, string>}
 */
export function runnerEnv({ inputs = {}, env = {} } = {}) {
  const unknown = Object.keys(inputs).filter((name) => !Object.hasOwn(INPUT_DEFAULTS, name));
  if (unknown.length > 0) throw new Error(`action.yml has no input named ${unknown.join(', ')}`);
  /** @type {Record<string, string>} */
  const result = {};
  for (const [name, fallback] of Object.entries(INPUT_DEFAULTS)) {
    result[`INPUT_${name.replaceAll(' ', '_').toUpperCase()}`] = inputs[name] ?? fallback;
  }
  return { ...result, ...env };
}

/**
 * Drops the SDK's multi-line NodeVersionSupportWarning block (expected on Node 20; the action runs on node24).
 * The block runs from its first line to "More information can be found at ...", plus Node's
 * "(Use `node --trace-warnings ...`" hint right after it. A block that does not end as expected is kept.
 * @param {string} text
 */
export function withoutNodeVersionWarning(text) {
  const lines = text.split('\n');
  const kept = [];
  for (let i = 0; i < lines.length; i += 1) {
    if (!lines[i]?.includes('NodeVersionSupportWarning')) {
      kept.push(lines[i]);
      continue;
    }
    const end = lines.findIndex((line, j) => j > i && j <= i + 15 && line.includes('More information can be found at'));
    if (end < 0) {
      kept.push(lines[i]);
      continue;
    }
    i = end;
    if (lines[i + 1]?.includes('--trace-warnings')) i += 1;
  }
  return kept.join('\n');
}

/**
 * Parses a GITHUB_OUTPUT file: `name<<DELIMITER\nvalue\nDELIMITER` blocks (what @actions/core
 * writes), and plain `name=value` lines. In file order; a name set twice appears twice
 * (`Object.fromEntries` keeps the last value, as the runner does).
 * @param {string} text
 * @returns {[string, string][]}
 */
export function parseOutputFile(text) {
  /** @type {[string, string][]} */
  const outputs = [];
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i += 1) {
    const line = /** @type {string} */ (lines[i]);
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const [, name = '', delimiter] = heredoc;
      const value = [];
      i += 1;
      while (i < lines.length && lines[i] !== delimiter) {
        value.push(lines[i]);
        i += 1;
      }
      outputs.push([name, value.join('\n')]);
    } else if (line.includes('=')) {
      const at = line.indexOf('=');
      outputs.push([line.slice(0, at), line.slice(at + 1)]);
    }
  }
  return outputs;
}

/**
 * @typedef {{ code: number | null, signal: NodeJS.Signals | null, ms: number, stdout: string,
 *   stderr: string, timedOut: boolean, spawnError?: Error }} RunResult
 */

/**
 * Spawns a command asynchronously (the local endpoint lives in this process and must keep serving)
 * and times it from spawn to exit.
 * @param {string} command
 * @param {string[]} args
 * @param {{ env: Record<string, string>, cwd: string, timeoutMs: number }} options
 * @returns {Promise<RunResult>}
 */
export function timedRun(command, args, { env, cwd, timeoutMs }) {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    /** @type {number | undefined} */
    let ms;
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (chunk) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('exit', () => {
      ms = Number(process.hrtime.bigint() - started) / 1e6;
    });
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ code: null, signal: null, ms: NaN, stdout, stderr, timedOut, spawnError: error });
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, ms: ms ?? Number(process.hrtime.bigint() - started) / 1e6, stdout, stderr, timedOut });
    });
  });
}

/** @param {RunResult} result */
export function describeExit(result) {
  if (result.spawnError) return `could not start (${result.spawnError.message})`;
  if (result.timedOut) return 'killed after the timeout';
  if (result.signal) return `killed by ${result.signal}`;
  return `exit ${result.code}`;
}
