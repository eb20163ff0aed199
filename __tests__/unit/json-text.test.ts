// The JSON parser behind the `tags` input: the grammar JSON.parse accepts, exactly, plus
// what JSON.parse loses (repeated keys, numbers as written). Checked against JSON.parse
// itself on generated documents.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { type JsonValue, JsonSyntaxError, parseJson } from '../../src/json-text.js';

/** What JSON.parse would make of the same text (the last of repeated keys wins). */
function toPlain(value: JsonValue): unknown {
  switch (value.kind) {
    case 'object':
      return Object.fromEntries(value.members.map(({ key, value: member }) => [key, toPlain(member)]));
    case 'array':
      return value.items.map(toPlain);
    case 'string':
      return value.value;
    case 'number':
      return Number(value.text);
    case 'boolean':
      return value.text === 'true';
    case 'null':
      return null;
  }
}

const accepts = (text: string): boolean => {
  try {
    parseJson(text);
    return true;
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    return false;
  }
};

const jsonParseAccepts = (text: string): boolean => {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
};

describe('parseJson agrees with JSON.parse', () => {
  it('reads every JSON document as JSON.parse does, however it is spaced', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, 2, '\t'), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        expect(toPlain(parseJson(text))).toEqual(JSON.parse(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('accepts exactly the texts JSON.parse accepts', () => {
    const jsonish = fc.stringMatching(/^[{}[\]":,\s0-9eE.+\-tfrunlasx\\"u]{0,24}$/);
    fc.assert(
      fc.property(
        fc.oneof(
          jsonish,
          fc.string(),
          fc.json().map((text) => text.slice(0, -1)),
        ),
        (text) => {
          expect(accepts(text)).toBe(jsonParseAccepts(text));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('reads every string escape as JSON.parse does, surrogate pairs included', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const json = JSON.stringify({ [text]: text });
        const parsed = parseJson(json);
        expect(parsed).toEqual({ kind: 'object', members: [{ key: text, value: { kind: 'string', value: text } }] });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('parseJson keeps what JSON.parse loses', () => {
  it('keeps every member of an object, repeated keys included, in order', () => {
    expect(parseJson('{"a": "1", "b": "2", "a": "3"}')).toEqual({
      kind: 'object',
      members: [
        { key: 'a', value: { kind: 'string', value: '1' } },
        { key: 'b', value: { kind: 'string', value: '2' } },
        { key: 'a', value: { kind: 'string', value: '3' } },
      ],
    });
  });

  it('keeps numbers and booleans as written', () => {
    expect(parseJson('[1.50, -0, 1E+3, true]')).toEqual({
      kind: 'array',
      items: [
        { kind: 'number', text: '1.50' },
        { kind: 'number', text: '-0' },
        { kind: 'number', text: '1E+3' },
        { kind: 'boolean', text: 'true' },
      ],
    });
  });

  it('reads a key that starts with ":" in a pretty-printed object', () => {
    expect(parseJson('{"team": "a",\n  ":odd": "b"}')).toMatchObject({
      members: [{ key: 'team' }, { key: ':odd' }],
    });
  });
});

describe('parseJson says where the text stops being JSON', () => {
  it.each([
    ['{"a": 1,}', 'line 1, column 9: expected a key in double quotes, found "}"'],
    ['{\n  "a": tru\n}', 'line 2, column 8: expected a value, found "t"'],
    ['[1, 2', 'line 1, column 6: expected "," or "]", found the end of the text'],
    ['"abc', 'line 1, column 5: expected a closing double quote, found the end of the text'],
    ['"\\x"', 'line 1, column 3: expected an escape'],
    ['"\\u12"', 'line 1, column 4: expected four hexadecimal digits after \\u'],
    ['01', 'line 1, column 2: expected the end of the text, found "1"'],
    ['', 'line 1, column 1: expected a value, found the end of the text'],
  ])('%j: %s', (text, message) => {
    expect(() => parseJson(text)).toThrow(message);
  });

  it('refuses nesting deeper than 32 levels without exhausting the stack', () => {
    expect(() => parseJson('['.repeat(1_000_000))).toThrow(/expected at most 32 levels of nesting/);
    expect(toPlain(parseJson(`${'['.repeat(32)}${']'.repeat(32)}`))).toBeDefined();
  });
});
