// The whole step in this process (src/step.ts, what the bundle runs after reading its inputs), with
// the real AWS SDK client against a local endpoint: what a run outputs, logs and reports, and what
// the shell would show (the failure annotation, the job summary). Inputs go through the action's own
// input reader, with action.yml's defaults, as on a runner.

import { readSettings, type Settings } from '../../src/inputs.js';
import { failure } from '../../src/messages.js';
import { type Limits, PRODUCTION_LIMITS } from '../../src/model.js';
import type { OutputName, StepReport } from '../../src/outcome.js';
import { renderSummary } from '../../src/render.js';
import { type StepDependencies, runStep } from '../../src/step.js';
import { escapeLog, toText } from '../../src/text.js';
import { INPUT_DEFAULTS } from './run-action.js';

/**
 * Limits for a test whose subject is not a bound (concurrency, races, tags, wording, hostile
 * answers): every bound far above what the work needs on a loaded two-core machine, and the SDK's
 * backoff in milliseconds so retries cost nothing. A test whose subject is a bound passes its own.
 */
export const TEST_LIMITS: Limits = Object.freeze({
  ...PRODUCTION_LIMITS,
  lookupMs: 20_000,
  throttleBudgetMs: 20_000,
  queueNoticeMs: 1_000,
  lastCheckMs: 10_000,
  commentMs: 10_000,
  runBudgetMs: 25_000,
  credentialMarginMs: 1_000,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 10_000,
  retryBaseMs: 1,
  throttleRetryBaseMs: 2,
  maxRetryDelayMs: 20,
  raceLookupPausesMs: Object.freeze([20, 50, 100, 200]),
});

export interface LoggedLine {
  readonly kind: 'info' | 'debug' | 'warning';
  /** As the shell prints it: through escapeLog. */
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
  readonly warnings: readonly string[];
  /** The step's failure (the error annotation's text), if it fails. */
  readonly failure: string | undefined;
  /** The job summary the shell writes. */
  readonly summary: string;
  readonly durationMs: number;
}

export interface InProcessOptions {
  /** Inputs by their action.yml names; the rest get action.yml's defaults. */
  readonly inputs?: Record<string, string>;
  /** Settings set past the input reader (a poll interval under its 1 s minimum, say). */
  readonly settings?: Partial<Settings>;
  /** The environment of the run; nothing of this process's is inherited. */
  readonly env?: Record<string, string | undefined>;
  /** Limits on top of TEST_LIMITS. */
  readonly limits?: Partial<Limits>;
  readonly dependencies?: Partial<Omit<StepDependencies, 'env' | 'log' | 'limits'>>;
}

/** The input reader of a runner: the given inputs, else action.yml's defaults (`${{ ... }}` ones empty). */
export function inputReader(inputs: Record<string, string> = {}): (name: string) => string {
  return (name) => inputs[name] ?? INPUT_DEFAULTS[name] ?? '';
}

export async function runInProcess(options: InProcessOptions = {}): Promise<InProcessRun> {
  const env = Object.fromEntries(Object.entries(options.env ?? {}).filter(([, value]) => value !== undefined));
  const settings: Settings = { ...(await readSettings(inputReader(options.inputs), env)), ...options.settings };
  const lines: LoggedLine[] = [];
  const outputsSet: { name: OutputName; value: string }[] = [];
  const secrets: string[] = [];
  const say = (kind: LoggedLine['kind']) => (text: Parameters<StepDependencies['log']['info']>[0] | string) =>
    lines.push({ kind, text: escapeLog(typeof text === 'string' ? text : toText(text)) });
  const started = Date.now();
  const report = await runStep(settings, {
    ...options.dependencies,
    env,
    limits: { ...TEST_LIMITS, ...options.limits },
    log: {
      info: say('info'),
      debug: say('debug'),
      warning: say('warning'),
      secret: (value) => secrets.push(value),
      output: (name, value) => outputsSet.push({ name, value }),
    },
  });
  const durationMs = Date.now() - started;
  const failed = failure(report, report.outcome);
  return {
    report,
    outputs: Object.fromEntries(outputsSet.map(({ name, value }) => [name, value])),
    outputsSet,
    lines,
    secrets,
    warnings: lines.filter((line) => line.kind === 'warning').map((line) => line.text),
    failure: failed && escapeLog(toText(failed)),
    summary: renderSummary(report),
    durationMs,
  };
}

/** The text of every info line, one a line, as the log shows them. */
export const infoText = (run: InProcessRun): string =>
  run.lines
    .filter((line) => line.kind === 'info')
    .map((line) => line.text)
    .join('\n');

/** Of `texts`, those the runner would take as a workflow command: `::` at the start, or `##[` anywhere. */
export const commandLike = (texts: readonly string[]): string[] =>
  texts.filter((text) => /^\s*::/.test(text) || text.includes('##['));
