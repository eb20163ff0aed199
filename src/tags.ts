// The `tags` input: `key=value` lines or a JSON object, checked against AWS's tag rules
// before any call, so a bad tag never reaches AWS and never reaches the job summary.

import { InputError, describeValue } from './input-error.js';

export interface Tag {
  readonly key: string;
  readonly value: string;
}

const MAX_TAGS = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
// The character set AWS allows in tags across services (letters, spaces, numbers, _.:/=+-@).
const TAG_TEXT = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

export function parseTags(raw: string): Tag[] {
  const text = raw.trim();
  if (text === '') return [];
  // Anything that opens like JSON is JSON, so a JSON array gets a JSON answer.
  const tags = /^[{[]/.test(text) ? parseJsonTags(text) : parseLineTags(raw);
  checkTagRules(tags);
  return tags;
}

/** `key=value` lines; line numbers in messages count from the input's first line. */
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

function parseJsonTags(text: string): Tag[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new InputError(`Input 'tags' is not valid JSON: ${(error as Error).message}.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InputError(`Input 'tags' in JSON must be an object of "key": "value" pairs.`);
  }
  const tags = Object.entries(parsed).map(([key, value]) => {
    if (typeof value !== 'string') {
      throw new InputError(`Input 'tags': the value of ${describeValue(key)} must be a string.`);
    }
    return { key: key.trim(), value: value.trim() };
  });
  // JSON.parse keeps only the last of repeated keys; count the keys in the text itself.
  const keysInText = jsonObjectKeys(text);
  if (keysInText.length !== tags.length) {
    const duplicate = keysInText.find((key, index) => keysInText.indexOf(key) !== index) ?? '';
    throw duplicateKey(duplicate);
  }
  return tags;
}

/**
 * The keys of a flat JSON object of strings, as written (duplicates kept): every
 * string literal followed by a colon. Only called once the object is known to be flat.
 */
function jsonObjectKeys(text: string): string[] {
  const keys: string[] = [];
  for (const match of text.matchAll(/"(?:[^"\\]|\\.)*"(?=\s*:)/g)) {
    keys.push((JSON.parse(match[0]) as string).trim());
  }
  return keys;
}

function checkTagRules(tags: readonly Tag[]): void {
  if (tags.length > MAX_TAGS) {
    throw new InputError(`Input 'tags' has ${tags.length} tags; AWS allows at most ${MAX_TAGS}.`);
  }
  const seen = new Set<string>();
  for (const { key, value } of tags) {
    if (key.length < 1 || key.length > MAX_KEY_LENGTH) {
      throw new InputError(`Input 'tags': a key must be 1-${MAX_KEY_LENGTH} characters (got ${describeValue(key)}).`);
    }
    if (key.toLowerCase().startsWith('aws:')) {
      throw new InputError(
        `Input 'tags': the key ${describeValue(key)} starts with 'aws:', which AWS reserves for its own tags.`,
      );
    }
    if (!TAG_TEXT.test(key)) {
      throw new InputError(
        `Input 'tags': the key ${describeValue(key)} may contain only letters, digits, spaces and _ . : / = + - @.`,
      );
    }
    if (value.length > MAX_VALUE_LENGTH) {
      throw new InputError(
        `Input 'tags': the value of ${describeValue(key)} must be at most ${MAX_VALUE_LENGTH} characters (got ${value.length}).`,
      );
    }
    if (!TAG_TEXT.test(value)) {
      throw new InputError(
        `Input 'tags': the value of ${describeValue(key)} may contain only letters, digits, spaces and _ . : / = + - @ ` +
          `(got ${describeValue(value)}).`,
      );
    }
    if (seen.has(key)) throw duplicateKey(key);
    seen.add(key);
  }
}

function duplicateKey(key: string): InputError {
  return new InputError(`Input 'tags' names the key ${describeValue(key)} more than once; each key may appear once.`);
}

/** The tags of `wanted` that `current` lacks or holds with another value. */
export function tagsToApply(wanted: readonly Tag[], current: Readonly<Record<string, string>>): Tag[] {
  return wanted.filter(({ key, value }) => current[key] !== value);
}
