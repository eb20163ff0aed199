// How outside text reaches a person (escaped for the log, code spans in Markdown), and the one duration formatter.

/** Words of ours with outside values between them; a value that is Prose is ours too (a link of ours among them). */
export class Prose {
  constructor(
    readonly strings: readonly string[],
    readonly values: readonly ProseValue[],
  ) {}
}

type ProseValue = string | number | Prose;

export const prose = (strings: TemplateStringsArray, ...values: ProseValue[]): Prose => new Prose(strings, values);

/** Words of ours made at run time (a list, a duration, a link): shown as they are, also in Markdown. */
export const plain = (text: string): Prose => new Prose([text], []);

export function joinProse(parts: readonly Prose[], separator = ' '): Prose {
  return new Prose(['', ...parts.slice(1).map(() => separator), ''], parts);
}

export const toText = (text: Prose): string => format(text, String);
export const toMarkdown = (text: Prose): string => format(text, codeSpan);

function format(text: Prose, outside: (value: string) => string): string {
  const shown = (value: ProseValue | undefined) =>
    value instanceof Prose ? format(value, outside) : typeof value === 'number' ? String(value) : outside(value ?? '');
  return text.strings.reduce((out, words, index) => out + shown(text.values[index - 1]) + words);
}

// Everything the runner, a terminal or a browser may take as the end of a line.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// Controls (ANSI escapes among them), bidi overrides and zero-width characters would act on the
// log or the page, or hide text; written as \u{...} they are only text. (Emoji's joiner stays.)
const INVISIBLE = /[\p{Cc}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/gu;

/** One line without control or format characters, `##[` (a legacy command) or a leading `::` (a workflow command). */
export function escapeLog(text: string): string {
  return text
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE, (char) => `\\u{${char.codePointAt(0)?.toString(16)}}`)
    .replace(/##\[/g, '## [')
    .replace(/^(\s*):(?=:)/, '$1: ');
}

/** Outside text as a Markdown code span: literal, whatever it holds (a table row still escapes `|`). */
export function codeSpan(text: string): string {
  const line = escapeLog(text);
  const fence = '`'.repeat(Math.max(0, ...(line.match(/`+/g) ?? []).map((run) => run.length)) + 1);
  // CommonMark strips one space from each side of a span that has one on both: pad so none of ours is lost.
  const pad = line === '' || (/^[` ]|[` ]$/.test(line) && line.trim() !== '') ? ' ' : '';
  return `${fence}${pad}${line}${pad}${fence}`;
}

/** `text` on one line, at most `max` code points (500: a long AWS or GitHub error), saying how many were left out. */
export function truncate(text: string, max = 500): string {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim());
  if (chars.length <= max) return chars.join('');
  return `${chars.slice(0, max).join('')}... (${chars.length - max} more characters)`;
}

/** A bad value quoted for an error message: one line, short, quotes escaped. */
export function quote(value: string): string {
  return JSON.stringify(truncate(value, 40));
}

/** `text` with each key of `hidden` replaced by its stand-in (a secret by `***`, an account id by `<account-id>`). */
export function redact(text: string, hidden: ReadonlyMap<string, string>): string {
  let result = text;
  for (const [value, standIn] of hidden) if (value !== '') result = result.replaceAll(value, standIn);
  return result;
}

// The account field of an ARN of any partition and service, the Region possibly empty (IAM, STS).
const ARN_ACCOUNT = /\barn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g;

export function accountIdsIn(text: string): string[] {
  return [...new Set([...text.matchAll(ARN_ACCOUNT)].map((match) => match[1] ?? ''))];
}

export const UNIT_MS = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 } as const;

/** As the inputs write it: the largest whole unit (`90s`, `15m`, `1h`, `500ms`); `roughly`, the largest reached (`41d`). */
export function formatDuration(ms: number, { roughly = false } = {}): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  for (const [unit, size] of Object.entries(UNIT_MS)) {
    if (ms >= size && (roughly || ms % size === 0)) return `${Math.floor(ms / size)}${unit}`;
  }
  return `${Math.round(ms / 1000)}s`;
}
