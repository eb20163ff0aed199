// Every line the action prints goes through here, so no text from outside can become a
// workflow command: `core.info` writes its text raw, and annotations carry it as data.

import * as core from '@actions/core';

import { inertLine } from './inert.js';

export function info(text: string): void {
  core.info(inertLine(text));
}

export function debug(text: string): void {
  core.debug(inertLine(text));
}

export function notice(text: string, title: string): void {
  core.notice(inertLine(text), { title });
}

export function warning(text: string): void {
  core.warning(inertLine(text));
}

/** An error annotation, and the step fails. */
export function fail(text: string): void {
  core.setFailed(inertLine(text));
}
