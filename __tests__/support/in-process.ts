// The whole step in this process (src/step.ts, what the bundle runs after reading its inputs),
// with the real AWS SDK client against a local endpoint, and the limits in milliseconds: what a
// run outputs, logs and reports, and what the shell would show (the job summary, the failure).
// Inputs go through the action's own input reader, with action.yml's defaults, as on a runner.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { inertLine } from '../../src/inert.js';
import { readSettings, type Settings } from '../../src/inputs.js';
import { type Limits, PRODUCTION_LIMITS } from '../../src/limits.js';
import type { StepReport } from '../../src/report.js';
import { type OutputName, type StepDependencies, runStep } from '../../src/step.js';
import { renderSummary } from '../../src/summary.js';
import { ROOT } from './run-action.js';

/**
 * Limits small enough that a give-up, a stall or a budget ends within a couple of seconds, in
 * about the proportions of the production ones (PRODUCTION_LIMITS: 45 s lookup, 55 s budget,
 * 30 s comment, 10 s last check, 3 s / 5 s per attempt), and large enough that a loopback call
 * answered at once never meets them on a busy two-core machine.
 */
export const FAST_LIMITS: Limits = Object.freeze({
  ...PRODUCTION_LIMITS,
  lookupMs: 1_500,
  lastCheckMs: 500,
  commentMs: 1_000,
  runBudgetMs: 2_000,
  connectionTimeoutMs: 400,
  requestTimeoutMs: 600,
  raceLookupPausesMs: Object.freeze([20, 50, 100, 200]),
});

interface ActionYml {
  inputs: Record<string, { default?: string }>;
}
const actionYml = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as ActionYml;

export interface LoggedLine {
  readonly kind: 'info' | 'debug' | 'warning';
  readonly text: string;
}

export interface InProcessRun {
  readonly report: StepReport;
  /** The outputs as a workflow reads them: the last value of each name. */
  readonly outputs: Partial<Record<OutputName, string>>;
  /** Every output set, in order (a wait sets some again). */
  readonly outputsSet: readonly { name: OutputName; value: string }[];
  readonly lines: readonly LoggedLine[];
  /** Values registered as secrets, in order. */
  readonly secrets: readonly string[];
  /** The text of every warning annotation. */
  readonly warnings: readonly string[];
  /** The step's failure (the error annotation), if it fails. */
  readonly failure: string | undefined;
  /** The job summary the shell writes. */
  readonly summary: string;
  /** The summary as a reader sees it: numeric character references decoded. */
  readonly summaryShown: string;
  readonly durationMs: number;
}

export interface InProcessOptions {
  /** Inputs by their action.yml names; the rest get action.yml's defaults. */
  readonly inputs?: Record<string, string>;
  /** Settings set past the input reader (a poll interval under its 1 s minimum, say). */
  readonly settings?: Partial<Settings>;
  /** The environment of the run; nothing of this process's is inherited. */
  readonly env?: Record<string, string | undefined>;
  /** Limits on top of FAST_LIMITS. */
  readonly limits?: Partial<Limits>;
  readonly dependencies?: Partial<Omit<StepDependencies, 'env' | 'log' | 'limits'>>;
}

/** The input reader of a runner: the given inputs, else action.yml's defaults (`${{ ... }}` ones empty). */
export function inputReader(inputs: Record<string, string> = {}): (name: string) => string {
  return (name) => {
    if (name in inputs) return inputs[name] ?? '';
    const fallback = actionYml.inputs[name]?.default ?? '';
    return fallback.startsWith('${{') ? '' : fallback;
  };
}

export async function runInProcess(options: InProcessOptions = {}): Promise<InProcessRun> {
  const env = Object.fromEntries(Object.entries(options.env ?? {}).filter(([, value]) => value !== undefined));
  const settings: Settings = { ...readSettings(inputReader(options.inputs), env), ...options.settings };
  const lines: LoggedLine[] = [];
  const outputsSet: { name: OutputName; value: string }[] = [];
  const secrets: string[] = [];
  const started = Date.now();
  const report = await runStep(settings, {
    ...options.dependencies,
    env,
    limits: { ...FAST_LIMITS, ...options.limits },
    log: {
      info: (text) => lines.push({ kind: 'info', text }),
      debug: (text) => lines.push({ kind: 'debug', text }),
      warning: (text) => lines.push({ kind: 'warning', text }),
      secret: (value) => secrets.push(value),
      output: (name, value) => outputsSet.push({ name, value }),
    },
  });
  const durationMs = Date.now() - started;
  const summary = renderSummary(report);
  return {
    report,
    outputs: Object.fromEntries(outputsSet.map(({ name, value }) => [name, value])),
    outputsSet,
    lines,
    secrets,
    warnings: lines.filter((line) => line.kind === 'warning').map((line) => line.text),
    failure: report.outcome.failure,
    summary,
    summaryShown: summary.replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code))),
    durationMs,
  };
}

/** The text of every info line, one a line, as the log shows them. */
export const infoText = (run: InProcessRun): string =>
  run.lines
    .filter((line) => line.kind === 'info')
    .map((line) => line.text)
    .join('\n');

/** Every logged line as the shell prints it (src/log.ts passes each through inertLine). */
export const printedLines = (run: InProcessRun): string[] => run.lines.map((line) => inertLine(line.text));

/** Of `texts`, those the runner would take as a workflow command: `::` at the start, or `##[` anywhere. */
export const commandLike = (texts: readonly string[]): string[] =>
  texts.filter((text) => /^\s*::/.test(text) || text.includes('##['));
