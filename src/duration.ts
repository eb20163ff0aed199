import { InputError, describeValue } from './input-error.js';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000 } as const;
// A unit in either case, and a space before it, are how people write durations too: `15 m`, `1H`.
const DURATION = /^(\d+)\s*([smh]?)$/i;

/** Parses `0`, plain seconds (`600`) or a number with a unit (`90s`, `15m`, `1h`) into milliseconds. */
export function parseDuration(input: string, raw: string, limits: { min?: number; max: number }): number {
  const match = DURATION.exec(raw.trim());
  if (!match) {
    throw new InputError(
      `Input '${input}' must be 0, a number of seconds (600) or a number with a unit s, m or h ` +
        `(90s, 15m, 1h) (got ${describeValue(raw)}).`,
    );
  }
  const unit = (match[2] || 's').toLowerCase() as keyof typeof UNIT_MS;
  const ms = Number(match[1]) * UNIT_MS[unit];
  if (limits.min !== undefined && ms < limits.min) {
    throw new InputError(
      `Input '${input}' must be at least ${formatDuration(limits.min)} (got ${describeValue(raw)}).`,
    );
  }
  if (ms > limits.max) {
    throw new InputError(`Input '${input}' must be at most ${formatDuration(limits.max)} (got ${describeValue(raw)}).`);
  }
  return ms;
}

/** A duration in the largest whole unit that fits: 90000 -> `90s`, 900000 -> `15m`; under a second, `250ms`. */
export function formatDuration(ms: number): string {
  if (ms > 0 && ms < 1000) return `${Math.round(ms)}ms`;
  if (ms % UNIT_MS.h === 0 && ms > 0) return `${ms / UNIT_MS.h}h`;
  if (ms % UNIT_MS.m === 0 && ms > 0) return `${ms / UNIT_MS.m}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** How long ago, in the largest unit that is at least one: `41 days`, `3 hours`, `1 minute`. */
export function formatAge(ms: number): string {
  const units: [string, number][] = [
    ['day', 86_400_000],
    ['hour', 3_600_000],
    ['minute', 60_000],
  ];
  for (const [unit, size] of units) {
    const count = Math.floor(ms / size);
    if (count >= 1) return `${count} ${unit}${count === 1 ? '' : 's'}`;
  }
  return 'less than a minute';
}
