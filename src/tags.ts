// The `tags` input: `key=value` lines, a JSON object, or the AWS CLI's list form, checked
// against App Runner's own tag rules (nothing stricter) before any call. Tag text may hold
// any character App Runner accepts; it is made inert where it is shown, never refused here.

import { InputError, describeValue } from './input-error.js';
import { type JsonValue, JsonSyntaxError, parseJson } from './json-text.js';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

// App Runner's Tag shape (API reference, Tag): key 1-128, value 0-256, 50 tags a request.
// Its lengths are Smithy lengths: Unicode scalar values, not UTF-16 code units.
const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
// The key pattern ^(?!aws:).+ : not the (lower-case) aws: prefix, and the ECMAScript `.`
// that must match the first character matches no line terminator.
const RESERVED_PREFIX = 'aws:';
const LINE_TERMINATOR = /^[\n\r\u2028\u2029]/;
const UNPAIRED_SURROGATE = /\p{Surrogate}/u;

export function parseTags(raw: string): Tag[] {
  const text = raw.trim();
  if (text === '') return [];
  // Anything that opens like JSON is JSON, so a JSON mistake gets a JSON answer.
  const tags = /^[{[]/.test(text) ? parseJsonTags(text) : parseLineTags(raw);
  checkTagRules(tags);
  return tags;
}

/** `key=value` lines, split at the first `=`, trimmed; line numbers count from the input's first line. */
function parseLineTags(text: string): Tag[] {
  const tags: Tag[] = [];
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) return;
    const equals = line.indexOf('=');
    if (equals === -1) {
      throw new InputError(
        `Input 'tags' line ${index + 1} must be key=value, or the whole input a JSON object ` +
          `(got ${describeValue(line)}).`,
      );
    }
    tags.push({ key: line.slice(0, equals).trim(), value: line.slice(equals + 1).trim() });
  });
  return tags;
}

/** `{"key": "value"}` or `[{"Key": "key", "Value": "value"}]`, keys and values exactly as written. */
function parseJsonTags(text: string): Tag[] {
  let parsed: JsonValue;
  try {
    parsed = parseJson(text);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new InputError(`Input 'tags' starts like JSON but is not valid JSON: ${error.message}.`);
  }
  if (parsed.kind === 'object') {
    return parsed.members.map(({ key, value }) => ({
      key,
      value: tagValue(value, `the value of ${describeValue(key)}`),
    }));
  }
  if (parsed.kind === 'array') return parsed.items.map(listItemTag);
  throw new InputError(
    `Input 'tags' in JSON must be an object {"key": "value"} or a list [{"Key": "key", "Value": "value"}].`,
  );
}

/** One item of the AWS CLI's list form: exactly `Key`, and `Value` unless the value is empty. */
function listItemTag(item: JsonValue, index: number): Tag {
  const where = `item ${index + 1}`;
  if (item.kind !== 'object') {
    throw new InputError(`Input 'tags' ${where} must be an object {"Key": "key", "Value": "value"}.`);
  }
  const fields = new Map<string, JsonValue>();
  for (const { key, value } of item.members) {
    if (key !== 'Key' && key !== 'Value') {
      throw new InputError(
        `Input 'tags' ${where} has the member ${describeValue(key)}; an item has only "Key" and "Value".`,
      );
    }
    if (fields.has(key)) throw new InputError(`Input 'tags' ${where} names "${key}" more than once.`);
    fields.set(key, value);
  }
  const key = fields.get('Key');
  if (key?.kind !== 'string') throw new InputError(`Input 'tags' ${where} needs a "Key" that is a string.`);
  const value = fields.get('Value');
  return { key: key.value, value: value ? tagValue(value, `the "Value" of ${where}`) : '' };
}

/** Strings as written; numbers and booleans as their JSON text; anything else is refused. */
function tagValue(value: JsonValue, what: string): string {
  if (value.kind === 'string') return value.value;
  if (value.kind === 'number' || value.kind === 'boolean') return value.text;
  throw new InputError(`Input 'tags': ${what} must be a string, a number or a boolean, not ${article(value.kind)}.`);
}

function article(kind: JsonValue['kind']): string {
  return kind === 'null' ? 'null' : `an ${kind}`;
}

function checkTagRules(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) {
    throw new InputError(`Input 'tags' has ${tags.length} tags; App Runner allows at most ${MAX_TAGS}.`);
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    const keyLength = Array.from(key).length;
    if (keyLength < 1 || keyLength > MAX_KEY_LENGTH) {
      throw new InputError(
        `Input 'tags': a key must be 1-${MAX_KEY_LENGTH} characters (got ${keyLength}: ${describeValue(key)}).`,
      );
    }
    if (key.startsWith(RESERVED_PREFIX)) {
      throw new InputError(
        `Input 'tags': the key ${describeValue(key)} starts with 'aws:', which AWS reserves for its own tags.`,
      );
    }
    if (LINE_TERMINATOR.test(key)) {
      throw new InputError(`Input 'tags': the key ${describeValue(key)} must not start with a line break.`);
    }
    const valueLength = Array.from(value).length;
    if (valueLength > MAX_VALUE_LENGTH) {
      throw new InputError(
        `Input 'tags': the value of ${describeValue(key)} must be at most ${MAX_VALUE_LENGTH} characters (got ${valueLength}).`,
      );
    }
    if (UNPAIRED_SURROGATE.test(key) || UNPAIRED_SURROGATE.test(value)) {
      throw new InputError(
        `Input 'tags': the tag ${describeValue(key)} holds an unpaired surrogate (a \\uD800-\\uDFFF escape ` +
          'without its pair), which is not a character.',
      );
    }
    if (seen.has(key)) {
      throw new InputError(
        `Input 'tags' names the key ${describeValue(key)} more than once; each key may appear once.`,
      );
    }
    seen.add(key);
  }
}

/** The tags of `wanted` that `current` lacks or holds with another value. */
export function tagsToApply(wanted: readonly Tag[], current: ReadonlyMap<string, string>): Tag[] {
  return wanted.filter(({ key, value }) => current.get(key) !== value);
}
