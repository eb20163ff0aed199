// A run's report as runStep builds it, for the specs of its outcome, its words and its rendering.

import type { AccountConnection, Connection, ProxyRoute } from '../../src/model.js';
import { type Report, type StepReport, decideOutcome } from '../../src/outcome.js';

export const NOW = Date.parse('2026-12-06T12:00:00Z');
const DAY = 86_400_000;
export const ACCOUNT = '123456789012';
export const CONSOLE = 'https://eu-west-1.console.aws.amazon.com/apprunner/home?region=eu-west-1#/connections';

export const ROUTE: ProxyRoute = {
  proxy: 'http://proxy.corp:3128',
  variable: 'https_proxy',
  target: 'apprunner.eu-west-1.amazonaws.com:443',
  withCredentials: false,
};

export const arnOf = (name: string, account = ACCOUNT) =>
  `arn:aws:apprunner:eu-west-1:${account}:connection/${name}/0123456789abcdef0123456789abcdef`;

export const connectionOf = (status: Connection['status'], name = 'preview-conn'): Connection => ({
  name,
  arn: arnOf(name),
  providerType: 'GITHUB',
  status,
});

/** A connection that holds the quota, `daysOld` days before NOW (undefined: App Runner gave no time). */
export const holder = (name: string, status: Connection['status'], daysOld?: number): AccountConnection => ({
  ...connectionOf(status, name),
  createdAt: daysOld === undefined ? undefined : new Date(NOW - daysOld * DAY),
});

/** A report of a run in eu-west-1 that found `connection`: PENDING_HANDSHAKE unless told otherwise. */
export function report(overrides: Partial<Report> = {}): Report {
  return {
    name: 'preview-conn',
    providerType: 'GITHUB',
    region: 'eu-west-1',
    dryRun: false,
    maskAccountId: false,
    connection: connectionOf('PENDING_HANDSHAKE'),
    created: false,
    tags: [],
    tagChanges: [],
    at: NOW,
    ...overrides,
  };
}

/** The report as runStep returns it: with its outcome, and the secrets nothing may show. */
export function rendered(overrides: Partial<Report> = {}, secrets: readonly string[] = []): StepReport {
  const base = report(overrides);
  return { ...base, outcome: decideOutcome(base), secrets };
}
