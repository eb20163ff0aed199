// Behaviour 11: what App Runner answers is checked at one boundary before anything uses it:
// an App Runner connection ARN, exactly the requested name, a known status and provider.
// Anything else is a MalformedAnswer naming the operation and the field.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { connectionsPage, createdConnection, resourceTags } from '../../src/aws-answers.js';
import { MalformedAnswer } from '../../src/errors.js';

const EXPECTED = { name: 'my-conn', region: 'eu-west-1' };
const ARN = 'arn:aws:apprunner:eu-west-1:123456789012:connection/my-conn/0123456789abcdef0123456789abcdef';
const SUMMARY = { ConnectionName: 'my-conn', ConnectionArn: ARN, ProviderType: 'GITHUB', Status: 'AVAILABLE' };

/** Runs `read` on an answer the type system would refuse, as a hostile endpoint sends it. */
const raw = <T>(answer: unknown) => answer as T;

function malformation(read: () => unknown): MalformedAnswer {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(MalformedAnswer);
    return error as MalformedAnswer;
  }
  throw new Error('expected a MalformedAnswer');
}

describe('connectionsPage: a ListConnections answer', () => {
  const page = (answer: unknown) => connectionsPage(raw(answer), EXPECTED);

  it('gives the live connection of exactly the expected name, and the next token', () => {
    expect(page({ ConnectionSummaryList: [SUMMARY], NextToken: 'n' })).toEqual({
      match: { name: 'my-conn', arn: ARN, providerType: 'GITHUB', status: 'AVAILABLE' },
      nextToken: 'n',
    });
  });

  it('passes over other names, even malformed ones it does not use', () => {
    const other = { ConnectionName: 'my-conn-2', ConnectionArn: 5, Status: 'WHATEVER' };
    expect(page({ ConnectionSummaryList: [other] })).toEqual({ match: undefined, nextToken: undefined });
  });

  it('counts a DELETED connection of the name as absent, and takes the live one beside it', () => {
    const deleted = { ...SUMMARY, ConnectionArn: ARN.replace('0123', 'ffff'), Status: 'DELETED' };
    expect(page({ ConnectionSummaryList: [deleted, SUMMARY] }).match?.arn).toBe(ARN);
    expect(page({ ConnectionSummaryList: [deleted] }).match).toBeUndefined();
  });

  it.each([
    ['any partition', ARN.replace('arn:aws:', 'arn:aws-us-gov:')],
    ['an id of another length', ARN.replace(/\/[0-9a-f]+$/, '/abc123')],
  ])('accepts an ARN of %s', (_case, arn) => {
    expect(page({ ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: arn }] }).match?.arn).toBe(arn);
  });

  it.each([
    ['the answer is null', null, 'the answer is null, not an object'],
    ['the list is missing', {}, 'ConnectionSummaryList is missing (expected a list)'],
    ['the list is an object', { ConnectionSummaryList: {} }, 'ConnectionSummaryList is {}, not a list'],
    ['an entry is null', { ConnectionSummaryList: [null] }, 'ConnectionSummaryList[0] is null, not an object'],
    [
      'an entry is a string',
      { ConnectionSummaryList: ['my-conn'] },
      'ConnectionSummaryList[0] is "my-conn", not an object',
    ],
    [
      'a name is a number',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionName: 1 }] },
      'ConnectionSummaryList[0].ConnectionName is 1, not a name',
    ],
    [
      'the ARN is missing',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: undefined }] },
      'ConnectionSummaryList[0].ConnectionArn is missing',
    ],
    [
      'the ARN is of another service',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: ARN.replace('apprunner', 'codestar-connections') }] },
      'ConnectionSummaryList[0].ConnectionArn is "arn:aws:codestar-connections',
    ],
    [
      'the ARN is of another region',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: ARN.replace('eu-west-1', 'us-east-1') }] },
      'ConnectionSummaryList[0].ConnectionArn is "arn:aws:apprunner:us-east-1',
    ],
    [
      'the ARN names another connection',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: ARN.replace('/my-conn/', '/other/') }] },
      'ConnectionSummaryList[0].ConnectionArn',
    ],
    [
      'the ARN has a line after it',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: `${ARN}\n::warning::x` }] },
      'ConnectionSummaryList[0].ConnectionArn is "arn',
    ],
    [
      'the ARN is too long',
      { ConnectionSummaryList: [{ ...SUMMARY, ConnectionArn: ARN + 'a'.repeat(1011) }] },
      'ConnectionSummaryList[0].ConnectionArn',
    ],
    [
      'the status is missing',
      { ConnectionSummaryList: [{ ...SUMMARY, Status: undefined }] },
      'ConnectionSummaryList[0].Status is missing (expected one of AVAILABLE, DELETED, ERROR, PENDING_HANDSHAKE)',
    ],
    [
      'the status is unknown',
      { ConnectionSummaryList: [{ ...SUMMARY, Status: 'PENDING' }] },
      'ConnectionSummaryList[0].Status is "PENDING", not one of',
    ],
    [
      'the status is lower case',
      { ConnectionSummaryList: [{ ...SUMMARY, Status: 'available' }] },
      'ConnectionSummaryList[0].Status is "available"',
    ],
    [
      'the provider is unknown',
      { ConnectionSummaryList: [{ ...SUMMARY, ProviderType: 'GITLAB' }] },
      'ConnectionSummaryList[0].ProviderType is "GITLAB", not one of BITBUCKET, GITHUB',
    ],
    [
      'two live connections share the name',
      { ConnectionSummaryList: [SUMMARY, SUMMARY] },
      'ConnectionSummaryList lists 2 live connections named my-conn',
    ],
    [
      'the token is a number',
      { ConnectionSummaryList: [], NextToken: 7 },
      'NextToken is 7, not a token of 1-1024 characters',
    ],
    ['the token is empty', { ConnectionSummaryList: [], NextToken: '' }, 'NextToken is "", not a token'],
  ])('refuses an answer where %s', (_case, answer, detail) => {
    const error = malformation(() => page(answer));
    expect(error.operation).toBe('ListConnections');
    expect(error.message).toContain(`App Runner's answer to ListConnections was malformed: ${detail}`);
    expect(error.message).not.toContain('[object Object]');
  });

  it('shows a long bad value shortened', () => {
    const error = malformation(() => page({ ConnectionSummaryList: [{ ...SUMMARY, Status: 'S'.repeat(10_000) }] }));
    expect(error.message.length).toBeLessThan(300);
  });

  it('never throws anything but a MalformedAnswer, whatever the answer', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withObjectString: true }), (answer) => {
        try {
          page(answer);
        } catch (error) {
          return error instanceof MalformedAnswer;
        }
        return true;
      }),
      { numRuns: 500 },
    );
  });

  it('gives a match only for the expected name, a connection ARN of it and a known status and provider', () => {
    fc.assert(
      fc.property(
        fc.record({
          ConnectionName: fc.constantFrom('my-conn', 'my-conn-2', 'MY-CONN'),
          ConnectionArn: fc.oneof(fc.constant(ARN), fc.string(), fc.integer()),
          ProviderType: fc.constantFrom('GITHUB', 'BITBUCKET', 'GITLAB', ''),
          Status: fc.constantFrom('AVAILABLE', 'PENDING_HANDSHAKE', 'ERROR', 'DELETED', 'PENDING', ''),
        }),
        (summary) => {
          let match;
          try {
            match = page({ ConnectionSummaryList: [summary] }).match;
          } catch (error) {
            return error instanceof MalformedAnswer && summary.ConnectionName === 'my-conn';
          }
          if (!match) return summary.ConnectionName !== 'my-conn' || summary.Status === 'DELETED';
          return match.name === 'my-conn' && match.arn === ARN && ['GITHUB', 'BITBUCKET'].includes(match.providerType);
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('createdConnection: a CreateConnection answer', () => {
  const expected = { ...EXPECTED, providerType: 'GITHUB' as const };
  const created = (answer: unknown) => createdConnection(raw(answer), expected);

  it('gives the new connection', () => {
    expect(created({ Connection: { ...SUMMARY, Status: 'PENDING_HANDSHAKE' } })).toEqual({
      name: 'my-conn',
      arn: ARN,
      providerType: 'GITHUB',
      status: 'PENDING_HANDSHAKE',
    });
  });

  it.each([
    ['no connection', {}, 'Connection is missing (expected an object)'],
    [
      'another connection',
      { Connection: { ...SUMMARY, ConnectionName: 'other' } },
      'Connection.ConnectionName is "other", not the requested my-conn',
    ],
    [
      'no ARN',
      { Connection: { ...SUMMARY, ConnectionArn: null } },
      'Connection.ConnectionArn is null, not the ARN of an App Runner connection named my-conn in eu-west-1',
    ],
    [
      'another provider',
      { Connection: { ...SUMMARY, ProviderType: 'BITBUCKET' } },
      'Connection.ProviderType is BITBUCKET, not the GITHUB that was asked for',
    ],
  ])('refuses an answer with %s', (_case, answer, detail) => {
    expect(malformation(() => created(answer)).message).toBe(
      `App Runner's answer to CreateConnection was malformed: ${detail}.`,
    );
  });
});

describe('resourceTags: a ListTagsForResource answer', () => {
  const tags = (answer: unknown) => resourceTags(raw(answer));

  it('gives the tags as a map, a missing value as empty', () => {
    expect(tags({ Tags: [{ Key: 'team', Value: 'a' }, { Key: 'flag' }] })).toEqual(
      new Map([
        ['team', 'a'],
        ['flag', ''],
      ]),
    );
  });

  it('takes a missing list for no tags', () => {
    expect(tags({})).toEqual(new Map());
  });

  it.each([
    ['a list that is a string', { Tags: 'team=a' }, 'Tags is "team=a", not a list'],
    ['a tag that is null', { Tags: [null] }, 'Tags[0] is null, not an object'],
    ['a key that is a number', { Tags: [{ Key: 1, Value: 'a' }] }, 'Tags[0].Key is 1, not a string'],
    ['a value that is an object', { Tags: [{ Key: 'k', Value: {} }] }, 'Tags[0].Value is {}, not a string'],
  ])('refuses %s', (_case, answer, detail) => {
    expect(malformation(() => tags(answer)).message).toBe(
      `App Runner's answer to ListTagsForResource was malformed: ${detail}.`,
    );
  });
});
