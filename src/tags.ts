// The `tags` input in its three forms, checked against App Runner's tag rules (nothing stricter).

import { invalidInput } from './errors.js';
import type { Tag } from './model.js';
import { quote } from './text.js';

type JsonNode = NonNullable<ReturnType<typeof import('jsonc-parser').parseTree>>;

const refuse = (problem: string): never => invalidInput(`Input 'tags'${problem}`);

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
  return text.split(/\r?\n/).flatMap((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return [];
    const equals = line.indexOf('=');
    if (equals === -1)
      refuse(` line ${index + 1} must be key=value, or the whole input a JSON object (got ${quote(line)}).`);
    const tag = { key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim() };
    if (/,[^,=]+=/.test(tag.value)) {
      warnings.push(
        `Input 'tags' line ${index + 1} gives ${quote(tag.key)} the value ${quote(tag.value)}, which looks like ` +
          'several tags separated by commas: it is kept as one value. Write each tag on its own line.',
      );
    }
    return [tag];
  });
}

/** `{"key": "value"}` or `[{"Key": "key", "Value": "value"}]`, keys and values exactly as written. */
async function parseJsonTags(text: string): Promise<Tag[]> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    refuse(` starts like JSON but is not valid JSON: ${(error as Error).message}.`);
  }
  const isObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!isObject(parsed) && !(Array.isArray(parsed) && parsed.every(isObject))) {
    refuse(` in JSON must be an object {"key": "value"} or a list [{"Key": "key", "Value": "value"}].`);
  }
  // JSON.parse keeps only the last of repeated keys and turns 1.50 into 1.5: read the members as written.
  const { parseTree } = await import('jsonc-parser');
  let root: JsonNode | undefined;
  try {
    root = parseTree(text);
  } catch {
    refuse(' in JSON is nested far deeper than tags ever are.'); // parseTree recurses: a stack's depth at most
  }
  if (root?.type === 'object') {
    return members(root).map(([key, value]) => ({ key, value: tagValue(value, text, `the value of ${quote(key)}`) }));
  }
  return (root?.children ?? []).map((item, index) => listItemTag(members(item), text, `item ${index + 1}`));
}

function members(object: JsonNode): [string, JsonNode][] {
  return (object.children ?? []).flatMap(({ children: [key, value] = [] }) =>
    key && value ? [[String(key.value), value] as [string, JsonNode]] : [],
  );
}

/** One item of the AWS CLI's list form: exactly `Key`, and `Value` unless the value is empty. */
function listItemTag(fields: [string, JsonNode][], text: string, where: string): Tag {
  const named = new Map<string, JsonNode>();
  for (const [key, value] of fields) {
    if (key !== 'Key' && key !== 'Value')
      refuse(` ${where} has the member ${quote(key)}; an item has only "Key" and "Value".`);
    if (named.has(key)) refuse(` ${where} names "${key}" more than once.`);
    named.set(key, value);
  }
  const key = named.get('Key');
  if (key?.type !== 'string') refuse(` ${where} needs a "Key" that is a string.`);
  const value = named.get('Value');
  return { key: String(key?.value), value: value ? tagValue(value, text, `the "Value" of ${where}`) : '' };
}

/** Strings as written; numbers and booleans as their JSON text; anything else is refused. */
function tagValue(node: JsonNode, text: string, what: string): string {
  if (node.type === 'string') return String(node.value);
  if (node.type === 'number' || node.type === 'boolean') return text.slice(node.offset, node.offset + node.length);
  return refuse(
    `: ${what} must be a string, a number or a boolean, not ${node.type === 'null' ? 'null' : `an ${node.type}`}.`,
  );
}

// App Runner's Tag shape: key 1-128, value 0-256, 50 tags a request, in Unicode scalar values (Smithy lengths).
// The key pattern ^(?!aws:).+ refuses the (lower-case) aws: prefix, and `.` matches no line terminator.
function checkTagRules(tags: readonly Tag[]): void {
  if (tags.length > 50) refuse(` has ${tags.length} tags; App Runner allows at most 50.`);
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    const [keyLength, valueLength] = [Array.from(key).length, Array.from(value).length];
    if (keyLength < 1 || keyLength > 128) refuse(`: a key must be 1-128 characters (got ${keyLength}: ${quote(key)}).`);
    if (key.startsWith('aws:'))
      refuse(`: the key ${quote(key)} starts with 'aws:', which AWS reserves for its own tags.`);
    if (/^[\n\r\u2028\u2029]/.test(key)) refuse(`: the key ${quote(key)} must not start with a line break.`);
    if (valueLength > 256) refuse(`: the value of ${quote(key)} must be at most 256 characters (got ${valueLength}).`);
    if ([key, value].some((text) => /\p{Surrogate}/u.test(text))) {
      refuse(
        `: the tag ${quote(key)} holds an unpaired surrogate (a \\uD800-\\uDFFF escape without its pair), which is not a character.`,
      );
    }
    if (seen.has(key)) refuse(` names the key ${quote(key)} more than once; each key may appear once.`);
    seen.add(key);
  }
}
