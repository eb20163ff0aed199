// The one boundary between App Runner's answers and the action: every SDK output the core
// uses is checked here and turned into the action's own shapes, or rejected as malformed
// (operation and field). Nothing downstream reads an SDK shape.

import {
  type CreateConnectionResponse,
  type ListConnectionsResponse,
  type ListTagsForResourceResponse,
  ConnectionStatus,
  ProviderType,
} from '@aws-sdk/client-apprunner';

import { MalformedAnswer } from './errors.js';
import { cut } from './inert.js';
import { CONNECTION_NAME } from './inputs.js';

export interface Connection {
  readonly name: string;
  readonly arn: string;
  readonly providerType: ProviderType;
  readonly status: ConnectionStatus;
}

/** One of the account's connections in the region, as a quota message lists it. */
export interface AccountConnection extends Connection {
  /** Absent when App Runner did not say. */
  readonly createdAt: Date | undefined;
}

/** What an answer must describe: the connection of this name, in this region. */
export interface Expected {
  readonly name: string;
  readonly region: string;
}

/** A page of ListConnections, reduced to what the action needs. */
export interface ConnectionsPage {
  /** The live (not DELETED) connection named exactly as expected, if this page has it. */
  readonly match: Connection | undefined;
  readonly nextToken: string | undefined;
}

const STATUSES: readonly string[] = Object.values(ConnectionStatus);
const PROVIDERS: readonly string[] = Object.values(ProviderType);
// The App Runner API reference: ARNs are at most 1011 characters; NextToken 1-1024.
const MAX_ARN_LENGTH = 1011;
const MAX_NEXT_TOKEN_LENGTH = 1024;

const LIST = 'ListConnections';

export function connectionsPage(answer: ListConnectionsResponse, expected: Expected): ConnectionsPage {
  const { summaries, nextToken } = listedSummaries(answer);
  const live: Connection[] = [];
  for (const { summary, field, name } of summaries) {
    // The name filter may answer with other connections too: only the exact name counts.
    if (name !== expected.name) continue;
    const connection = toConnection(summary, LIST, field, expected);
    if (connection.status !== ConnectionStatus.DELETED) live.push(connection);
  }
  if (live.length > 1) {
    throw new MalformedAnswer(
      LIST,
      'ConnectionSummaryList',
      `lists ${live.length} live connections named ${expected.name}`,
    );
  }
  return { match: live[0], nextToken };
}

/** A page of ListConnections without a name filter: the account's live connections in `region`. */
export function accountConnectionsPage(
  answer: ListConnectionsResponse,
  region: string,
): { readonly connections: AccountConnection[]; readonly nextToken: string | undefined } {
  const { summaries, nextToken } = listedSummaries(answer);
  const connections: AccountConnection[] = [];
  for (const { summary, field, name } of summaries) {
    if (!CONNECTION_NAME.test(name)) {
      throw new MalformedAnswer(LIST, `${field}.ConnectionName`, describe(name, 'a connection name'));
    }
    const connection = toConnection(summary, LIST, field, { name, region });
    const createdAt = summary['CreatedAt'];
    if (createdAt !== undefined && !(createdAt instanceof Date && !Number.isNaN(createdAt.getTime()))) {
      throw new MalformedAnswer(LIST, `${field}.CreatedAt`, describe(createdAt, 'a time'));
    }
    if (connection.status !== ConnectionStatus.DELETED) connections.push({ ...connection, createdAt });
  }
  return { connections, nextToken };
}

/** The entries of a ListConnections page, each an object with a string name, and its checked NextToken. */
function listedSummaries(answer: ListConnectionsResponse) {
  const page = record(answer, LIST, 'the answer');
  const list = page['ConnectionSummaryList'];
  if (!Array.isArray(list)) throw new MalformedAnswer(LIST, 'ConnectionSummaryList', describe(list, 'a list'));
  const nextToken = page['NextToken'];
  if (
    nextToken !== undefined &&
    (typeof nextToken !== 'string' || nextToken.length < 1 || nextToken.length > MAX_NEXT_TOKEN_LENGTH)
  ) {
    throw new MalformedAnswer(LIST, 'NextToken', describe(nextToken, 'a token of 1-1024 characters'));
  }
  const summaries = list.map((item: unknown, index) => {
    const field = `ConnectionSummaryList[${index}]`;
    const summary = record(item, LIST, field);
    const name = summary['ConnectionName'];
    if (typeof name !== 'string') throw new MalformedAnswer(LIST, `${field}.ConnectionName`, describe(name, 'a name'));
    return { summary, field, name };
  });
  return { summaries, nextToken };
}

export function createdConnection(
  answer: CreateConnectionResponse,
  expected: Expected & { readonly providerType: ProviderType },
): Connection {
  const operation = 'CreateConnection';
  const connection = toConnection(
    record(record(answer, operation, 'the answer')['Connection'], operation, 'Connection'),
    operation,
    'Connection',
    expected,
  );
  if (connection.providerType !== expected.providerType) {
    throw new MalformedAnswer(
      operation,
      'Connection.ProviderType',
      `is ${connection.providerType}, not the ${expected.providerType} that was asked for`,
    );
  }
  return connection;
}

/** A resource's tags, key to value. */
export function resourceTags(answer: ListTagsForResourceResponse): Map<string, string> {
  const operation = 'ListTagsForResource';
  const tags = record(answer, operation, 'the answer')['Tags'] ?? [];
  if (!Array.isArray(tags)) throw new MalformedAnswer(operation, 'Tags', describe(tags, 'a list'));
  return new Map(
    tags.map((item: unknown, index) => {
      const tag = record(item, operation, `Tags[${index}]`);
      const key = tag['Key'];
      const value = tag['Value'] ?? '';
      if (typeof key !== 'string')
        throw new MalformedAnswer(operation, `Tags[${index}].Key`, describe(key, 'a string'));
      if (typeof value !== 'string') {
        throw new MalformedAnswer(operation, `Tags[${index}].Value`, describe(value, 'a string'));
      }
      return [key, value];
    }),
  );
}

function toConnection(
  summary: Readonly<Record<string, unknown>>,
  operation: string,
  field: string,
  expected: Expected,
): Connection {
  const { ConnectionName: name, ConnectionArn: arn, ProviderType: provider, Status: status } = summary;
  if (name !== expected.name) {
    throw new MalformedAnswer(operation, `${field}.ConnectionName`, describe(name, `the requested ${expected.name}`));
  }
  if (typeof arn !== 'string' || arn.length > MAX_ARN_LENGTH || !connectionArn(expected).test(arn)) {
    throw new MalformedAnswer(
      operation,
      `${field}.ConnectionArn`,
      describe(arn, `the ARN of an App Runner connection named ${expected.name} in ${expected.region}`),
    );
  }
  if (typeof status !== 'string' || !STATUSES.includes(status)) {
    throw new MalformedAnswer(operation, `${field}.Status`, describe(status, `one of ${STATUSES.join(', ')}`));
  }
  if (typeof provider !== 'string' || !PROVIDERS.includes(provider)) {
    throw new MalformedAnswer(operation, `${field}.ProviderType`, describe(provider, `one of ${PROVIDERS.join(', ')}`));
  }
  return { name: expected.name, arn, providerType: provider as ProviderType, status: status as ConnectionStatus };
}

/** `arn:<partition>:apprunner:<region>:<account>:connection/<name>/<id>`. */
function connectionArn({ name, region }: Expected): RegExp {
  // Names are [A-Za-z0-9_-] and regions [a-z0-9-]: neither needs escaping in a pattern.
  return new RegExp(`^arn:aws(?:-[a-z]+)*:apprunner:${region}:\\d{12}:connection/${name}/[A-Za-z0-9]+$`);
}

function record(value: unknown, operation: string, field: string): Readonly<Record<string, unknown>> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new MalformedAnswer(operation, field, describe(value, 'an object'));
  }
  return value as Record<string, unknown>;
}

/** What was found instead of what was expected, short: `is 5, not a name`. */
function describe(found: unknown, expected: string): string {
  if (found === undefined) return `is missing (expected ${expected})`;
  let shown: string;
  try {
    shown = JSON.stringify(found) ?? String(found);
  } catch {
    shown = String(found);
  }
  return `is ${cut(shown, 80)}, not ${expected}`;
}
