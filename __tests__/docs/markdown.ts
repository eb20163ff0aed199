// Reading the project's Markdown the way GitHub renders it: fenced blocks, headings and their anchors, sections, links
// and tables. Shared by the docs tests; no test of its own.

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

/** A fenced block (```lang), also one indented inside a list item: its text without that indentation, its 1-based line. */
export interface CodeBlock {
  readonly language: string;
  readonly text: string;
  readonly line: number;
}

export function codeBlocks(markdown: string): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const open = /^( *)```(\S*)\s*$/.exec(lines[i] ?? '');
    if (!open) continue;
    const [, indent = '', language = ''] = open;
    let end = i + 1;
    while (end < lines.length && lines[end] !== `${indent}\`\`\``) end += 1;
    const body = lines.slice(i + 1, end).map((line) => (line.startsWith(indent) ? line.slice(indent.length) : line));
    blocks.push({ language, text: body.map((line) => `${line}\n`).join(''), line: i + 1 });
    i = end;
  }
  return blocks;
}

const FENCED = /^( *)```[\s\S]*?^\1```$/gm;

/** The text outside fenced blocks and inline code: what GitHub renders as prose, links included. */
export const prose = (markdown: string): string =>
  markdown.replace(FENCED, '').replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length));

/**
 * GitHub's anchor for a heading: the rendered text lower-cased, every character that is not a letter, a digit, `_`,
 * `-` or a space dropped, each space a hyphen.
 */
export const slug = (heading: string): string =>
  heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '')
    .replace(/ /g, '-');

/** The headings outside fenced blocks with their anchors; a repeated anchor gets `-1`, `-2`, ... as on GitHub. */
export function headings(markdown: string): { level: number; text: string; anchor: string }[] {
  const seen = new Map<string, number>();
  return [...markdown.replace(FENCED, '').matchAll(/^(#{1,6}) +(.+?) *#* *$/gm)].map(([, hashes = '', text = '']) => {
    const [anchor, count] = [slug(text), seen.get(slug(text)) ?? 0];
    seen.set(anchor, count + 1);
    return { level: hashes.length, text, anchor: count === 0 ? anchor : `${anchor}-${count}` };
  });
}

/** The section under a heading (exact text, any level), up to the next heading of the same or a higher level. */
export function section(markdown: string, heading: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((line) => /^#{1,6} /.test(line) && line.replace(/^#+ +/, '') === heading);
  if (start === -1) return '';
  const level = /^#+/.exec(lines[start] ?? '')?.[0].length ?? 1;
  let fenced = false;
  const end = lines.findIndex((line, index) => {
    if (index <= start) return false;
    if (/^ *```/.test(line)) fenced = !fenced;
    return !fenced && (/^(#{1,6}) /.exec(line)?.[1]?.length ?? 7) <= level;
  });
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

/** The inline links and images of the prose (`[text](target)`), code spans and blocks left out. */
const LINK = /!?\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
export const links = (markdown: string): { text: string; target: string }[] =>
  [...prose(markdown).matchAll(LINK)].map(([, text = '', target = '']) => ({ text, target }));

/** The rows of the first table in `markdown` without its header, the first cell unwrapped from its backticks. */
export function tableRows(markdown: string): { name: string; cells: string[] }[] {
  const lines = markdown.split('\n');
  const first = lines.findIndex((line) => line.startsWith('|'));
  if (first === -1) return [];
  const after = lines.findIndex((line, index) => index > first && !line.startsWith('|'));
  const table = lines.slice(first, after === -1 ? undefined : after);
  return table.slice(2).map((line) => {
    const [name = '', ...cells] = line
      .slice(1, -1)
      .split('|')
      .map((cell) => cell.trim());
    return { name: /^`([^`]+)`$/.exec(name)?.[1] ?? '', cells };
  });
}
