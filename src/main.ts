// The shell: read the inputs, run the step in process, and copy its report onto the Actions
// toolkit (outputs, log, annotations, job summary). No decision lives here: what passes, what
// fails and what to say come from the step's report. Every log line goes through log.ts.

import * as core from '@actions/core';

import { describeSummaryFailure, errorText } from './failure.js';
import { InputError, readSettings } from './inputs.js';
import * as log from './log.js';
import type { StepReport } from './report.js';
import type { StepLog } from './step.js';
import { renderSummary } from './summary.js';

const toolkitLog: StepLog = {
  info: log.info,
  debug: log.debug,
  warning: log.warning,
  secret: (value) => core.setSecret(value),
  output: (name, value) => core.setOutput(name, value),
};

export async function run(): Promise<void> {
  try {
    const settings = readSettings((name) => core.getInput(name), process.env);
    // The SDK loads only now, once the inputs are known to be good.
    const { runStep } = await import('./step.js');
    await publish(await runStep(settings, { env: process.env, log: toolkitLog }));
  } catch (error) {
    log.fail(error instanceof InputError ? error.message : errorText(error));
  }
}

async function publish(report: StepReport): Promise<void> {
  const { notice, failure } = report.outcome;
  if (notice) log.notice(notice.text, notice.title);
  await writeSummary(renderSummary(report));
  if (failure) log.fail(failure);
}

async function writeSummary(markdown: string): Promise<void> {
  // Outside GitHub (local runs) there is no summary file; that is not an error.
  if (!process.env['GITHUB_STEP_SUMMARY']) {
    log.debug('GITHUB_STEP_SUMMARY is not set; skipping the job summary.');
    return;
  }
  try {
    await core.summary.addRaw(markdown).write();
  } catch (error) {
    log.warning(describeSummaryFailure(error));
  }
}
