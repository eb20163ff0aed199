// The only ways text from outside (inputs, AWS and GitHub answers) reaches the log or
// Markdown: one function makes it inert for the log, one for Markdown, one cuts it short.

/** The most characters of one outside message (an AWS or GitHub error text) the action repeats. */
export const MAX_OUTSIDE_TEXT = 500;

// Everything the runner, a terminal or a browser may take as the end of a line.
const LINE_BREAKS = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;
// Controls (ANSI escapes among them), bidi overrides and zero-width characters would act on
// the log or the page, or hide text; shown as \u{...} they are only text. (The zero-width
// joiner of emoji sequences stays.)
const INVISIBLE = /[\p{Cc}\u061C\u200B\u200E\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF\uFFF9-\uFFFB]/gu;
// The runner takes `##[name]` as a legacy command anywhere in a line.
const LEGACY_COMMAND = /##\[/g;

/**
 * Text that is safe as a whole log line, or inside one: on one line, no control or format
 * character, no `##[` anywhere, and no `::` at its start (the runner reads a line that
 * starts with `::`, after spaces, as a workflow command).
 */
export function inertLine(text: string): string {
  const line = text
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE, (char) => `\\u{${char.codePointAt(0)?.toString(16)}}`)
    .replace(LEGACY_COMMAND, '## [');
  return line.replace(/^(\s*):(?=:)/, '$1: ');
}

/**
 * Text that is safe anywhere in Markdown and HTML: on one line, and every character that
 * could start markup, a table cell, an autolink (`:` `.` `@`), a mention or an issue
 * reference is a numeric character reference. Callers put values in `<code>`, where
 * GitHub neither links nor mentions.
 */
export function inertMarkdown(text: string): string {
  return inertLine(text).replace(/[^\p{L}\p{M}\p{N} ,=+-]/gu, (char) => `&#${char.codePointAt(0)};`);
}

/** At most `max` characters of `text` (whole code points), saying how much was left out. */
export function cut(text: string, max = MAX_OUTSIDE_TEXT): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return `${chars.slice(0, max).join('')}... (${chars.length - max} more characters)`;
}
