// The `tags` input: `key=value` lines, a JSON object, or the AWS CLI's list form, checked against
// App Runner's own tag rules (nothing stricter) before any call. Tag text may hold any character
// App Runner accepts; it is escaped where it is shown, never refused here.

import type { Tag } from './model.js';
import { InputError } from './errors.js';
import { quote } from './text.js';

// App Runner's Tag shape: key 1-128, value 0-256, 50 tags a request. Smithy lengths count
// Unicode scalar values, not UTF-16 code units. The key pattern ^(?!aws:).+ refuses the
// (lower-case) aws: prefix, and its `.` matches no line terminator as the first character.
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

/** The tags of the input; `warnings` gets what is accepted but probably not meant. */
export async function parseTags(raw: string, warnings: string[]): Promise<Tag[]> {
  const text = raw.trim();
  if (text === '') return [];
  // Anything that opens like JSON is JSON, so a JSON mistake gets a JSON answer.
  const tags = /^[{[]/.test(text) ? await parseJsonTags(text) : parseLineTags(raw, warnings);
  checkTagRules(tags);
  return tags;
}

/** `key=value` lines, split at the first `=`, trimmed; line numbers count from the input's first line. */
function parseLineTags(text: string, warnings: string[]): Tag[] {
  const tags: Tag[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals === -1) {
      throw new InputError([
        `Input 'tags' line ${index + 1} must be key=value, or the whole input a JSON object (got ${quote(line)}).`,
      ]);
    }
    const tag = { key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim() };
    if (/,[^,=]+=/.test(tag.value)) {
      warnings.push(
        `Input 'tags' line ${index + 1} gives ${quote(tag.key)} the value ${quote(tag.value)}, which looks like ` +
          'several tags separated by commas: it is kept as one value. Write each tag on its own line.',
      );
    }
    tags.push(tag);
  });
  return tags;
}

/** `{"key": "value"}` or `[{"Key": "key", "Value": "value"}]`, keys and values exactly as written. */
async function parseJsonTags(text: string): Promise<Tag[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError([`Input 'tags' starts like JSON but is not valid JSON: ${(error as Error).message}.`]);
  }
  const shape = `Input 'tags' in JSON must be an object {"key": "value"} or a list [{"Key": "key", "Value": "value"}].`;
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(parsed) && !(Array.isArray(parsed) && parsed.every(isObject))) throw new InputError([shape]);
  // JSON.parse keeps only the last of repeated keys and turns 1.50 into 1.5: read the members as written.
  const { parseTree } = await import('jsonc-parser');
  const root = parseTree(text);
  if (root?.type === 'object')
    return members(root, text).map(([key, value]) => ({
      key,
      value: tagValue(value, text, `the value of ${quote(key)}`),
    }));
  return (root?.children ?? []).map((item, index) => listItemTag(members(item, text), text, index));
}

type JsonNode = NonNullable<ReturnType<typeof import('jsonc-parser').parseTree>>;

/** An object's members in order, repeated keys included. */
function members(object: JsonNode, text: string): [string, JsonNode][] {
  return (object.children ?? []).flatMap(({ children: [key, value] = [] }) =>
    key && value
      ? [[String(key.value ?? text.slice(key.offset, key.offset + key.length)), value] as [string, JsonNode]]
      : [],
  );
}

/** One item of the AWS CLI's list form: exactly `Key`, and `Value` unless the value is empty. */
function listItemTag(fields: [string, JsonNode][], text: string, index: number): Tag {
  const where = `item ${index + 1}`;
  const named = new Map<string, JsonNode>();
  for (const [key, value] of fields) {
    if (key !== 'Key' && key !== 'Value') {
      throw new InputError([`Input 'tags' ${where} has the member ${quote(key)}; an item has only "Key" and "Value".`]);
    }
    if (named.has(key)) throw new InputError([`Input 'tags' ${where} names "${key}" more than once.`]);
    named.set(key, value);
  }
  const key = named.get('Key');
  if (key?.type !== 'string') throw new InputError([`Input 'tags' ${where} needs a "Key" that is a string.`]);
  const value = named.get('Value');
  return { key: key.value as string, value: value ? tagValue(value, text, `the "Value" of ${where}`) : '' };
}

/** Strings as written; numbers and booleans as their JSON text; anything else is refused. */
function tagValue(node: JsonNode, text: string, what: string): string {
  if (node.type === 'string') return node.value as string;
  if (node.type === 'number' || node.type === 'boolean') return text.slice(node.offset, node.offset + node.length);
  const kind = node.type === 'null' ? 'null' : `an ${node.type}`;
  throw new InputError([`Input 'tags': ${what} must be a string, a number or a boolean, not ${kind}.`]);
}

function checkTagRules(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) {
    throw new InputError([`Input 'tags' has ${tags.length} tags; App Runner allows at most ${MAX_TAGS}.`]);
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    const problem = tagProblem(key, value);
    if (problem) throw new InputError([`Input 'tags': ${problem}`]);
    if (seen.has(key)) {
      throw new InputError([`Input 'tags' names the key ${quote(key)} more than once; each key may appear once.`]);
    }
    seen.add(key);
  }
}

function tagProblem(key: string, value: string): string | undefined {
  const keyLength = Array.from(key).length;
  const valueLength = Array.from(value).length;
  if (keyLength < 1 || keyLength > MAX_KEY_LENGTH) {
    return `a key must be 1-${MAX_KEY_LENGTH} characters (got ${keyLength}: ${quote(key)}).`;
  }
  if (key.startsWith('aws:')) return `the key ${quote(key)} starts with 'aws:', which AWS reserves for its own tags.`;
  if (/^[\n\r\u2028\u2029]/.test(key)) return `the key ${quote(key)} must not start with a line break.`;
  if (valueLength > MAX_VALUE_LENGTH) {
    return `the value of ${quote(key)} must be at most ${MAX_VALUE_LENGTH} characters (got ${valueLength}).`;
  }
  if (UNPAIRED_SURROGATE.test(key) || UNPAIRED_SURROGATE.test(value)) {
    return (
      `the tag ${quote(key)} holds an unpaired surrogate (a \\uD800-\\uDFFF escape without its pair), ` +
      'which is not a character.'
    );
  }
  return undefined;
}

/** The tags of `wanted` that `current` lacks or holds with another value. */
export function tagsToApply(wanted: readonly Tag[], current: ReadonlyMap<string, string>): Tag[] {
  return wanted.filter(({ key, value }) => current.get(key) !== value);
}
