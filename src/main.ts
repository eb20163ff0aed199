// The shell: read the inputs, run the step, copy its report onto the Actions toolkit; every line goes out escaped.

import * as core from '@actions/core';

import { InputError, errorText } from './errors.js';
import { readSettings } from './inputs.js';
import { failure, log as words, notice } from './messages.js';
import { renderInputProblems, renderSummary } from './render.js';
import type { StepLog, StepReport } from './outcome.js';
import { type Prose, accountIdsIn, escapeLog, redact, toText } from './text.js';

export async function run(): Promise<void> {
  let settings;
  try {
    settings = await readSettings((name) => core.getInput(name), process.env);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    // Each problem on its own line: setFailed keeps the line breaks of an annotation.
    core.setFailed(error.problems.map(escapeLog).join('\n'));
    await writeSummary(renderInputProblems(error.problems));
    return;
  }
  try {
    // The SDK loads only now, once the inputs are known to be good.
    const { runStep } = await import('./step.js');
    await publish(await runStep(settings, { env: process.env, log: toolkitLog(settings.maskAccountId) }));
  } catch (error) {
    core.setFailed(logLine(errorText(error), settings.maskAccountId));
  }
}

/** A line for the log, escaped; with mask-aws-account-id, the account ids in it are registered as secrets first. */
function logLine(text: Prose | string, maskAccountId: boolean): string {
  const line = typeof text === 'string' ? text : toText(text);
  if (maskAccountId) for (const id of accountIdsIn(line)) core.setSecret(id);
  return escapeLog(line);
}

function toolkitLog(maskAccountId: boolean): StepLog {
  const line = (text: Prose | string) => logLine(text, maskAccountId);
  return {
    info: (text) => core.info(line(text)),
    debug: (text) => core.debug(line(text)),
    warning: (text) => core.warning(line(text)),
    secret: (value) => core.setSecret(value),
    output: (name, value) => {
      line(value); // registers the account id before the runner shows the output
      core.setOutput(name, value);
    },
  };
}

async function publish(report: StepReport): Promise<void> {
  const { outcome, connection } = report;
  const hidden = new Map(report.secrets.map((secret) => [secret, '***']));
  if (outcome.passed && connection?.status === 'PENDING_HANDSHAKE') {
    core.notice(logLine(notice.text(report.name, report.region ?? ''), report.maskAccountId), { title: notice.title });
  }
  await writeSummary(renderSummary(report));
  const failed = failure(report, outcome);
  if (failed) core.setFailed(logLine(redact(toText(failed), hidden), report.maskAccountId));
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside GitHub (local runs) there is no summary file; that is not an error.
  if (!process.env['GITHUB_STEP_SUMMARY']) return core.debug(logLine(words.noSummaryFile(), false));
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    core.warning(logLine(words.summaryFailed(errorText(error)), false));
  }
}
