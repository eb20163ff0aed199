// Reading the project's Markdown the way GitHub renders it: fenced blocks, headings and their
// anchors, and links. Shared by the docs tests; no test of its own.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

export const filesIn = (dir: string, pattern: RegExp): string[] =>
  readdirSync(join(ROOT, dir))
    .filter((name) => pattern.test(name))
    .sort()
    .map((name) => `${dir}/${name}`);

/** The guides, in docs/. */
export const GUIDES = filesIn('docs', /\.md$/);
/** Every Markdown file whose links and anchors must resolve. */
export const LINKED_DOCUMENTS = ['README.md', 'CONTRIBUTING.md', 'RELEASING.md', ...GUIDES];
/** The documents a user reads, whose workflows and snippets must work as copied. */
export const USER_DOCUMENTS = ['README.md', ...GUIDES];

export interface CodeBlock {
  readonly language: string;
  /** The block's text, its indentation (inside a list item) removed, ending with a newline. */
  readonly text: string;
  /** 1-based line of the opening fence. */
  readonly line: number;
}

/** Every fenced block (```lang), also those indented inside list items. */
export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', language = ''] = open;
    const body: string[] = [];
    let j = i + 1;
    for (; j < lines.length && lines[j] !== `${indent}\`\`\``; j += 1) {
      body.push((lines[j] ?? '').startsWith(indent) ? (lines[j] ?? '').slice(indent.length) : (lines[j] ?? ''));
    }
    blocks.push({ language, text: body.map((line) => `${line}\n`).join(''), line: i + 1 });
    i = j;
  }
  return blocks;
}

/** The text outside fenced blocks and inline code: what GitHub renders as prose, links included. */
export function prose(markdown: string): string {
  return markdown
    .replace(/^( *)```[\s\S]*?^\1```$/gm, '')
    .replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length));
}

export interface Heading {
  readonly level: number;
  readonly text: string;
  readonly anchor: string;
}

/**
 * GitHub's anchor for a heading: the rendered text lower-cased, every character that is not a
 * letter, a digit, `_`, `-` or a space dropped, each space a hyphen.
 */
export function slug(heading: string): string {
  const rendered = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim();
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The headings outside fenced blocks, each with its anchor; a repeated anchor gets `-1`, `-2`, ... as on GitHub. */
export function headings(markdown: string): Heading[] {
  const seen = new Map<string, number>();
  const withoutBlocks = markdown.replace(/^( *)```[\s\S]*?^\1```$/gm, '');
  return [...withoutBlocks.matchAll(/^(#{1,6}) +(.+?) *#* *$/gm)].map(([, hashes = '', text = '']) => {
    const base = slug(text);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    return { level: hashes.length, text, anchor: count === 0 ? base : `${base}-${count}` };
  });
}

/** The section under a heading (exact text, any level), up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ +/, '') === heading);
  if (start === -1) return '';
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  let end = start + 1;
  let fenced = false;
  for (; end < lines.length; end += 1) {
    const line = lines[end] ?? '';
    if (/^ *```/.test(line)) fenced = !fenced;
    const match = fenced ? null : /^(#{1,6}) /.exec(line);
    if (match && (match[1]?.length ?? 7) <= level) break;
  }
  return lines.slice(start, end).join('\n');
}

export interface Link {
  readonly text: string;
  readonly target: string;
}

/** The inline links and images of the prose (`[text](target)`), code spans and blocks left out. */
export function links(markdown: string): Link[] {
  return [...prose(markdown).matchAll(/!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)].map(
    ([, text = '', target = '']) => ({ text, target }),
  );
}

export interface TableRow {
  readonly name: string;
  readonly cells: readonly string[];
}

/** The rows of the first table in `markdown`, without its header, the first cell unwrapped from its backticks. */
export function tableRows(markdown: string): TableRow[] {
  const lines = markdown.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  if (first === -1) return [];
  const table: string[] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  return table.slice(2).map((line) => {
    const cells = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    return { name: /^`([^`]+)`$/.exec(cells[0] ?? '')?.[1] ?? '', cells: cells.slice(1) };
  });
}
