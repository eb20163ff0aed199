// What the runner makes of a run's output: which lines are workflow commands, which of
// them the action did not mean to send, and the annotations it did send.
import type { ActionRun } from './run-action.js';

/** Every line of both streams: the runner looks for workflow commands in stdout and stderr alike. */
export const logLines = (run: ActionRun): string[] => `${run.stdout}\n${run.stderr}`.split(/\r?\n|\r/);

/** The commands this action sends itself; anything else that starts a command came from outside. */
const OWN_COMMANDS = /^::(notice|error|warning|debug)( [^:]*)?::/;

/**
 * Lines the runner would take as a command the action did not send: `::name::` at the start
 * of a line (after spaces), or the legacy `##[name]` anywhere in it.
 */
export function foreignCommandLines(run: ActionRun): string[] {
  return logLines(run).filter((line) => /##\[/.test(line) || (/^\s*::/.test(line) && !OWN_COMMANDS.test(line)));
}

export const annotations = (run: ActionRun, command: 'error' | 'warning' | 'notice'): string[] =>
  run.commands.filter((c) => c.command === command).map((c) => c.message);

/** A command's message as the runner shows it: it turns %0D, %0A and %25 back into characters. */
export const asRunnerShows = (message: string): string =>
  message.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');

/** True when some line, after leading whitespace, starts with `::`. */
export const anyLineStartsACommand = (text: string): boolean =>
  text.split(/\r?\n|\r/).some((line) => /^\s*::/.test(line));
