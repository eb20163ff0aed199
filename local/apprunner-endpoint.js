// A local AWS App Runner control-plane endpoint for tests and the demo.
//
// It speaks the awsJson1_0 protocol the way the AWS SDK v3 client speaks it:
// every request is `POST /` with `X-Amz-Target: AppRunner.<Operation>` and
// `Content-Type: application/x-amz-json-1.0`; every answer is JSON of the same
// content type with an `x-amzn-RequestId` header; timestamps are epoch seconds;
// errors are `{"__type": "<Name>", "Message": "..."}` with the service's status.
//
// It listens on 127.0.0.1 only and uses nothing but node: built-ins.
//
// It follows the App Runner API reference where the action depends on it: ListConnections'
// ConnectionName filter returns only that connection, and without MaxResults every result
// comes in one answer. Where the action must survive more than the reference promises, a
// named option turns the misbehaviour on (prefixNameFilter, pageSize).
//
// As a program: node local/apprunner-endpoint.js [--port N] [--seed name[:STATUS]]... [--rate-limit N] [--page-size N]
//   [--quota N] [--throttle N] [--handshake-after SECONDS]

import { randomBytes, randomUUID } from 'node:crypto';
import { realpathSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const ACCOUNT_ID = '123456789012';
const JSON_CONTENT_TYPE = 'application/x-amz-json-1.0';
const TARGET_PREFIX = 'AppRunner.';
const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{3,31}$/;
const PROVIDER_TYPES = ['GITHUB', 'BITBUCKET'];
const STATUSES = ['PENDING_HANDSHAKE', 'AVAILABLE', 'ERROR', 'DELETED'];
const MAX_TAGS = 50;

/**
 * HTTP status of each error type this endpoint can answer with: those App Runner models as
 * in its service model (a test checks them against the installed SDK's error schemas), the
 * rest as AWS's JSON protocol answers them.
 */
export const ERROR_STATUS = {
  InvalidRequestException: 400,
  InvalidStateException: 400,
  ResourceNotFoundException: 400,
  ServiceQuotaExceededException: 402,
  AccessDeniedException: 400,
  ThrottlingException: 400,
  UnknownOperationException: 400,
  SerializationException: 400,
  MissingAuthenticationTokenException: 403,
  InternalServiceErrorException: 500,
  ServiceUnavailableException: 503,
};

/** An error answer: thrown by operation handlers, turned into a response by `answer`. */
class ServiceError extends Error {
  /**
   * @param {string} type
   * @param {string} message
   * @param {number} [status]
   */
  constructor(type, message, status) {
    super(message);
    this.type = type;
    this.status = status ?? statusOf(type);
  }
}

/** @param {string} type */
function statusOf(type) {
  return /** @type {Record<string, number>} */ (ERROR_STATUS)[type] ?? 400;
}

/** @param {string} message */
const invalid = (message) => new ServiceError('InvalidRequestException', message);

/**
 * @typedef {object} StoredConnection
 * @property {string} name
 * @property {string} arn
 * @property {'GITHUB' | 'BITBUCKET'} providerType
 * @property {'PENDING_HANDSHAKE' | 'AVAILABLE' | 'ERROR' | 'DELETED'} status
 * @property {Map<string, string>} tags
 * @property {Date} createdAt
 * @property {number} visibleAt      epoch ms from which ListConnections shows it
 * @property {number | null} flipAfter  ListConnections calls left before it turns AVAILABLE
 */

/**
 * @typedef {object} Fault
 * @property {string | undefined} operation
 * @property {number} times
 * @property {number} status
 * @property {string} type
 * @property {string} message
 * @property {boolean} hang
 * @property {boolean} denyAction
 */

/**
 * @param {import('./apprunner-endpoint.js').LocalAppRunnerOptions} [options]
 * @returns {Promise<import('./apprunner-endpoint.js').LocalAppRunner>}
 */
export async function startLocalAppRunner(options = {}) {
  const region = options.region ?? 'us-east-1';
  const pageSize = options.pageSize ?? Infinity;
  const prefixNameFilter = options.prefixNameFilter ?? false;
  const createDelayMs = options.createDelayMs ?? 0;
  const listLagMs = options.listLagMs ?? 0;
  if (pageSize !== Infinity && (!Number.isInteger(pageSize) || pageSize < 1)) {
    throw new RangeError('pageSize must be a positive integer');
  }
  const connectionQuota = options.connectionQuota ?? Infinity;
  if (connectionQuota !== Infinity && (!Number.isInteger(connectionQuota) || connectionQuota < 0)) {
    throw new RangeError('connectionQuota must be a non-negative integer');
  }
  const handshakeAfterMs = options.handshakeAfterMs;
  if (handshakeAfterMs !== undefined && !(handshakeAfterMs >= 0)) {
    throw new RangeError('handshakeAfterMs must be a non-negative number');
  }

  // ---- all state lives here -------------------------------------------------
  const state = {
    /** @type {StoredConnection[]} in creation order; DELETED ones stay */
    connections: [],
    /** @type {import('./apprunner-endpoint.js').RecordedCall[]} */
    calls: [],
    /** @type {Fault[]} */
    faults: [],
    /** @type {Set<string>} */
    deniedOperations: new Set(),
    bucket: options.rateLimit ? newBucket(options.rateLimit) : null,
    /** @type {Set<import('node:net').Socket>} */
    sockets: new Set(),
    /** @type {Set<http.ServerResponse>} requests accepted and never answered */
    hanging: new Set(),
  };

  // ---- helpers over the state ----------------------------------------------
  /** @param {string} name */
  const live = (name) => state.connections.find((c) => c.name === name && c.status !== 'DELETED');

  /** @param {string} name */
  const newest = (name) => state.connections.findLast((c) => c.name === name);

  /** @param {unknown} arn */
  const byArn = (arn) => {
    if (typeof arn !== 'string' || arn === '') throw invalid('ResourceArn is required.');
    const found = state.connections.find((c) => c.arn === arn);
    if (!found) throw new ServiceError('ResourceNotFoundException', `Resource ${arn} not found.`);
    return found;
  };

  /**
   * @param {{ name: string, providerType?: string, status?: string, tags?: Map<string, string>, visibleAt?: number }} spec
   * @returns {StoredConnection}
   */
  const insert = ({ name, providerType = 'GITHUB', status = 'PENDING_HANDSHAKE', tags = new Map(), visibleAt = 0 }) => {
    const connection = {
      name,
      arn: `arn:aws:apprunner:${region}:${ACCOUNT_ID}:connection/${name}/${randomBytes(16).toString('hex')}`,
      providerType: /** @type {StoredConnection['providerType']} */ (providerType),
      status: /** @type {StoredConnection['status']} */ (status),
      tags,
      createdAt: new Date(),
      visibleAt,
      flipAfter: null,
    };
    state.connections.push(connection);
    return connection;
  };

  /**
   * The resource an IAM denial names.
   * @param {string} operation
   * @param {any} body
   */
  const resourceOf = (operation, body) => {
    const arn = body?.ConnectionArn ?? body?.ResourceArn;
    if (typeof arn === 'string') return arn;
    const name =
      typeof body?.ConnectionName === 'string' && operation === 'CreateConnection' ? body.ConnectionName : '*';
    return `arn:aws:apprunner:${region}:${ACCOUNT_ID}:connection/${name}${name === '*' ? '' : '/*'}`;
  };

  /**
   * @param {string} operation
   * @param {any} body
   */
  const denial = (operation, body) =>
    new ServiceError(
      'AccessDeniedException',
      `User: arn:aws:sts::${ACCOUNT_ID}:assumed-role/ci/run is not authorized to perform: apprunner:${operation} ` +
        `on resource: ${resourceOf(operation, body)} because no identity-based policy allows the apprunner:${operation} action`,
    );

  // ---- operations: one small function each ----------------------------------
  /** @type {Record<string, (body: any) => Promise<object> | object>} */
  const operations = {
    ListConnections(body) {
      const filter = optionalString(body.ConnectionName, 'ConnectionName');
      const max = body.MaxResults;
      if (max !== undefined && (!Number.isInteger(max) || max < 1 || max > 100)) {
        throw invalid('MaxResults must be an integer between 1 and 100.');
      }
      // The API reference: without MaxResults all results come in one answer.
      const limit = Math.min(max ?? Infinity, pageSize);
      const start = decodeToken(body.NextToken, filter ?? '');
      const now = Date.now();
      // The API reference: with ConnectionName, only this connection is returned.
      const nameMatches = (/** @type {string} */ name) =>
        filter === undefined || (prefixNameFilter ? name.startsWith(filter) : name === filter);
      const matching = state.connections.filter((c) => c.visibleAt <= now && nameMatches(c.name));
      const page = matching.slice(start, start + limit);
      const end = start + page.length;
      const result = {
        ConnectionSummaryList: page.map(toWire),
        ...(end < matching.length ? { NextToken: encodeToken(end, filter ?? '') } : {}),
      };
      countDownFlips();
      return result;
    },

    async CreateConnection(body) {
      const name = body.ConnectionName;
      if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
        throw invalid(
          `1 validation error detected: Value '${String(name)}' at 'connectionName' failed to satisfy constraint: ` +
            'Member must satisfy regular expression pattern: [A-Za-z0-9][A-Za-z0-9\\-_]{3,31}',
        );
      }
      if (!PROVIDER_TYPES.includes(body.ProviderType)) {
        throw invalid(
          `1 validation error detected: Value '${String(body.ProviderType)}' at 'providerType' failed to satisfy constraint: ` +
            `Member must satisfy enum value set: [${PROVIDER_TYPES.join(', ')}]`,
        );
      }
      const tags = tagMap(body.Tags ?? []);
      rejectDuplicate(name);
      if (createDelayMs > 0) {
        // The racy window: another CreateConnection of the same name can pass the check above meanwhile.
        await sleep(createDelayMs);
        rejectDuplicate(name);
      }
      rejectOverQuota();
      const connection = insert({ name, providerType: body.ProviderType, tags, visibleAt: Date.now() + listLagMs });
      return { Connection: toWire(connection) };
    },

    DeleteConnection(body) {
      if (typeof body.ConnectionArn !== 'string') throw invalid('ConnectionArn is required.');
      const connection = state.connections.find((c) => c.arn === body.ConnectionArn && c.status !== 'DELETED');
      if (!connection)
        throw new ServiceError('ResourceNotFoundException', `Connection ${body.ConnectionArn} not found.`);
      connection.status = 'DELETED';
      connection.flipAfter = null;
      return { Connection: toWire(connection) };
    },

    TagResource(body) {
      const connection = byArn(body.ResourceArn);
      if (connection.status === 'DELETED') {
        throw new ServiceError('InvalidStateException', `Resource ${connection.arn} is in state DELETED.`);
      }
      if (!Array.isArray(body.Tags)) throw invalid('Tags is required.');
      const merged = new Map([...connection.tags, ...tagMap(body.Tags)]);
      if (merged.size > MAX_TAGS) throw invalid(`A resource can have at most ${MAX_TAGS} tags.`);
      connection.tags = merged;
      return {};
    },

    UntagResource(body) {
      const connection = byArn(body.ResourceArn);
      if (!Array.isArray(body.TagKeys)) throw invalid('TagKeys is required.');
      for (const key of body.TagKeys) connection.tags.delete(key);
      return {};
    },

    ListTagsForResource(body) {
      const connection = byArn(body.ResourceArn);
      return { Tags: [...connection.tags].map(([Key, Value]) => ({ Key, Value })) };
    },
  };

  /** @param {string} name */
  function rejectDuplicate(name) {
    // App Runner documents that names are unique per account and region, but not which
    // error a duplicate gets; of CreateConnection's modelled errors InvalidRequestException fits.
    if (live(name)) throw invalid(`Connection with name ${name} already exists`);
  }

  function rejectOverQuota() {
    const liveCount = state.connections.filter((c) => c.status !== 'DELETED').length;
    if (liveCount >= connectionQuota) {
      throw new ServiceError('ServiceQuotaExceededException', 'You have reached the maximum number of connections.');
    }
  }

  /** With handshakeAfterMs: a pending connection is AVAILABLE from that long after its creation. */
  function completeHandshakes() {
    if (handshakeAfterMs === undefined) return;
    const now = Date.now();
    for (const c of state.connections) {
      if (c.status === 'PENDING_HANDSHAKE' && now >= c.createdAt.getTime() + handshakeAfterMs) c.status = 'AVAILABLE';
    }
  }

  function countDownFlips() {
    for (const c of state.connections) {
      if (c.flipAfter === null) continue;
      c.flipAfter -= 1;
      if (c.flipAfter <= 0) {
        c.flipAfter = null;
        if (c.status === 'PENDING_HANDSHAKE') c.status = 'AVAILABLE';
      }
    }
  }

  /**
   * Answers the request after every front-door check; returns the status it answered with (null = hangs).
   * @param {string} operation
   * @param {any} body
   * @param {http.ServerResponse} res
   * @returns {Promise<{ status: number | null, errorType?: string }>}
   */
  async function dispatch(operation, body, res) {
    try {
      if (!Object.hasOwn(operations, operation)) {
        throw new ServiceError('UnknownOperationException', `Unknown operation ${operation}`);
      }
      if (state.bucket && !take(state.bucket)) throw new ServiceError('ThrottlingException', 'Rate exceeded');
      const fault = nextFault(operation);
      if (fault?.hang) {
        state.hanging.add(res);
        res.on('close', () => state.hanging.delete(res));
        return { status: null };
      }
      if (fault?.denyAction) throw denial(operation, body);
      if (fault) throw new ServiceError(fault.type, fault.message, fault.status);
      if (state.deniedOperations.has(operation)) throw denial(operation, body);
      completeHandshakes();
      const result = await operations[/** @type {keyof typeof operations} */ (operation)](body);
      send(res, 200, result);
      return { status: 200 };
    } catch (error) {
      if (!(error instanceof ServiceError)) {
        send(res, 500, { __type: 'InternalServiceErrorException', Message: String(error) });
        return { status: 500, errorType: 'InternalServiceErrorException' };
      }
      send(res, error.status, { __type: error.type, Message: error.message });
      return { status: error.status, errorType: error.type };
    }
  }

  /** @param {string} operation */
  function nextFault(operation) {
    const index = state.faults.findIndex((f) => f.operation === undefined || f.operation === operation);
    if (index < 0) return undefined;
    const fault = /** @type {Fault} */ (state.faults[index]);
    fault.times -= 1;
    if (fault.times <= 0) state.faults.splice(index, 1);
    return fault;
  }

  // ---- HTTP -------------------------------------------------------------------
  /**
   * @param {http.IncomingMessage} req
   * @param {http.ServerResponse} res
   */
  async function handle(req, res) {
    const raw = await readBody(req);
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith(TARGET_PREFIX) ? target.slice(TARGET_PREFIX.length) : target;
    const accessKeyId = /Credential=([^/,\s]+)\//.exec(String(req.headers.authorization ?? ''))?.[1];
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    /** @type {import('./apprunner-endpoint.js').RecordedCall} */
    // The SDK sends its user agent (with the action's custom part) in both headers.
    const userAgent = String(req.headers['x-amz-user-agent'] ?? req.headers['user-agent'] ?? '');
    const call = { operation, body: undefined, accessKeyId, attempt, userAgent, status: null };
    state.calls.push(call);

    /** @param {ServiceError} error */
    const reject = (error) => {
      send(res, error.status, { __type: error.type, Message: error.message });
      call.status = error.status;
      call.errorType = error.type;
    };

    if (!req.headers.authorization) {
      return reject(new ServiceError('MissingAuthenticationTokenException', 'Missing Authentication Token'));
    }
    if (req.method !== 'POST' || !target.startsWith(TARGET_PREFIX)) {
      return reject(new ServiceError('UnknownOperationException', `Unknown operation ${target || '(none)'}`));
    }
    if (String(req.headers['content-type']).split(';')[0] !== JSON_CONTENT_TYPE) {
      return reject(new ServiceError('SerializationException', `Expected Content-Type ${JSON_CONTENT_TYPE}`));
    }
    try {
      call.body = raw === '' ? {} : JSON.parse(raw);
    } catch {
      return reject(new ServiceError('SerializationException', 'Request body is not valid JSON'));
    }
    if (call.body === null || typeof call.body !== 'object' || Array.isArray(call.body)) {
      return reject(new ServiceError('SerializationException', 'Request body must be a JSON object'));
    }
    Object.assign(call, await dispatch(operation, call.body, res));
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error) => {
      send(res, 500, { __type: 'InternalServiceErrorException', Message: String(error) });
    });
  });
  // AWS endpoints keep idle connections open far longer than Node's default 5 s; with that
  // default a retry after a long backoff would meet a socket closing under it.
  server.keepAliveTimeout = 61_000;
  server.on('connection', (socket) => {
    state.sockets.add(socket);
    socket.on('close', () => state.sockets.delete(socket));
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve(undefined));
  });
  const address = /** @type {import('node:net').AddressInfo} */ (server.address());

  /** @param {string} name */
  const mustFind = (name) => {
    const connection = newest(name);
    if (!connection) throw new Error(`no connection named ${name}`);
    return connection;
  };

  // ---- the test-facing API ------------------------------------------------------
  return {
    url: `http://127.0.0.1:${address.port}`,
    region,
    calls: state.calls,

    seedConnection({ name, providerType = 'GITHUB', status = 'PENDING_HANDSHAKE', tags = {} }) {
      if (!PROVIDER_TYPES.includes(providerType)) throw new Error(`bad providerType ${providerType}`);
      if (!STATUSES.includes(status)) throw new Error(`bad status ${status}`);
      if (status !== 'DELETED' && live(name)) throw new Error(`connection ${name} already exists`);
      return insert({ name, providerType, status, tags: new Map(Object.entries(tags)) }).arn;
    },

    setStatus(name, status) {
      if (!STATUSES.includes(status)) throw new Error(`bad status ${status}`);
      mustFind(name).status = status;
    },

    flipToAvailableAfter(name, listCalls) {
      const connection = mustFind(name);
      if (listCalls <= 0) connection.status = 'AVAILABLE';
      else connection.flipAfter = listCalls;
    },

    connections() {
      completeHandshakes();
      return state.connections.map((c) => ({
        name: c.name,
        arn: c.arn,
        providerType: c.providerType,
        status: c.status,
        tags: Object.fromEntries(c.tags),
        createdAt: c.createdAt,
      }));
    },

    count(operation) {
      return operation === undefined ? state.calls.length : state.calls.filter((c) => c.operation === operation).length;
    },

    injectFault({ operation, times = 1, status, type, message, hang = false, denyAction = false } = {}) {
      const faultType = type ?? (status === 503 ? 'ServiceUnavailableException' : 'InternalServiceErrorException');
      const fault = {
        operation,
        times,
        status: status ?? statusOf(faultType),
        type: faultType,
        message:
          message ??
          (faultType === 'ThrottlingException' ? 'Rate exceeded' : 'An unexpected service exception occurred.'),
        hang,
        denyAction,
      };
      state.faults.push(fault);
      return () => {
        const index = state.faults.indexOf(fault);
        if (index >= 0) state.faults.splice(index, 1);
      };
    },

    denyOperation(operation) {
      state.deniedOperations.add(operation);
    },

    reset() {
      state.connections.length = 0;
      state.calls.length = 0;
      state.faults.length = 0;
      state.deniedOperations.clear();
      if (options.rateLimit) state.bucket = newBucket(options.rateLimit);
      for (const res of state.hanging) res.destroy();
      state.hanging.clear();
    },

    async close() {
      const closed = new Promise((resolve) => server.close(() => resolve(undefined)));
      for (const socket of state.sockets) socket.destroy();
      await closed;
    },
  };
}

// ---- pure helpers ---------------------------------------------------------------

/**
 * @param {StoredConnection} c
 * @returns {object} a Connection / ConnectionSummary as App Runner sends it
 */
function toWire(c) {
  return {
    ConnectionName: c.name,
    ConnectionArn: c.arn,
    ProviderType: c.providerType,
    Status: c.status,
    CreatedAt: c.createdAt.getTime() / 1000,
  };
}

/**
 * Validates a wire TagList into a Map, by App Runner's Tag shape: key 1-128 and value 0-256
 * Unicode scalar values (Smithy lengths), key pattern ^(?!aws:).+ , value pattern .* .
 * @param {unknown} tags
 * @returns {Map<string, string>}
 */
function tagMap(tags) {
  if (!Array.isArray(tags)) throw invalid('Tags must be a list.');
  if (tags.length > MAX_TAGS) throw invalid(`At most ${MAX_TAGS} tags are allowed.`);
  const map = new Map();
  for (const tag of tags) {
    const key = tag?.Key;
    const value = tag?.Value ?? '';
    const keyLength = typeof key === 'string' ? Array.from(key).length : 0;
    if (typeof key !== 'string' || keyLength < 1 || keyLength > 128) {
      throw invalid(
        "1 validation error detected: Value at 'tags.member.key' failed to satisfy constraint: Member must have length between 1 and 128",
      );
    }
    if (typeof value !== 'string' || Array.from(value).length > 256) {
      throw invalid(
        "1 validation error detected: Value at 'tags.member.value' failed to satisfy constraint: Member must have length less than or equal to 256",
      );
    }
    if (!/^(?!aws:)./.test(key)) {
      throw invalid(
        `1 validation error detected: Value '${key}' at 'tags.member.key' failed to satisfy constraint: ` +
          'Member must satisfy regular expression pattern: ^(?!aws:).+',
      );
    }
    map.set(key, value);
  }
  return map;
}

/**
 * @param {unknown} value
 * @param {string} field
 * @returns {string | undefined}
 */
function optionalString(value, field) {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${field} must be a string.`);
  return value;
}

/**
 * NextToken is opaque to clients; it carries the offset and the filter it was issued for.
 * @param {number} offset
 * @param {string} filter
 */
function encodeToken(offset, filter) {
  return Buffer.from(JSON.stringify({ o: offset, f: filter })).toString('base64url');
}

/**
 * @param {unknown} token
 * @param {string} filter
 * @returns {number} the offset to continue from
 */
function decodeToken(token, filter) {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString('utf8'));
    if (Number.isInteger(parsed.o) && parsed.o >= 0 && parsed.f === filter) return parsed.o;
  } catch {
    // falls through to the error below
  }
  throw invalid('The NextToken is not valid for this request.');
}

/** @param {{ perSecond: number, burst?: number }} limit */
function newBucket({ perSecond, burst }) {
  if (!(perSecond > 0)) throw new RangeError('rateLimit.perSecond must be positive');
  const capacity = burst ?? perSecond;
  return { perSecond, capacity, tokens: capacity, at: Date.now() };
}

/**
 * Takes one token from the bucket if there is one.
 * @param {{ perSecond: number, capacity: number, tokens: number, at: number }} bucket
 */
function take(bucket) {
  const now = Date.now();
  bucket.tokens = Math.min(bucket.capacity, bucket.tokens + ((now - bucket.at) / 1000) * bucket.perSecond);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}

/**
 * @param {http.ServerResponse} res
 * @param {number} status
 * @param {object} payload
 */
function send(res, status, payload) {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(payload);
  res.writeHead(status, {
    'Content-Type': JSON_CONTENT_TYPE,
    'Content-Length': Buffer.byteLength(body),
    'x-amzn-RequestId': randomUUID(),
  });
  res.end(body);
}

/**
 * @param {http.IncomingMessage} req
 * @returns {Promise<string>}
 */
function readBody(req) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- command line -----------------------------------------------------------------

/** @param {string[]} argv */
function parseArgs(argv) {
  /** @type {{ port: number, seeds: { name: string, status?: string }[], rateLimit?: number, pageSize?: number, quota?: number, throttle?: number, handshakeAfter?: number }} */
  const parsed = { port: 0, seeds: [] };
  /** @param {string} flag @param {string} value @param {number} min */
  const count = (flag, value, min) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min)
      throw new Error(`${flag} needs a whole number of at least ${min}, not ${value}`);
    return n;
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    i += 1;
    if (flag === '--port') parsed.port = Number(value);
    else if (flag === '--rate-limit') parsed.rateLimit = Number(value);
    else if (flag === '--page-size') parsed.pageSize = Number(value);
    else if (flag === '--quota') parsed.quota = count(flag, value, 0);
    else if (flag === '--throttle') parsed.throttle = count(flag, value, 1);
    else if (flag === '--handshake-after') {
      parsed.handshakeAfter = Number(value);
      if (value.trim() === '' || !(parsed.handshakeAfter >= 0)) throw new Error(`${flag} needs seconds, not ${value}`);
    } else if (flag === '--seed') {
      const [name = '', status] = value.split(':');
      parsed.seeds.push(status ? { name, status } : { name });
    } else throw new Error(`unknown option ${flag}`);
  }
  return parsed;
}

async function main() {
  let args;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (error) {
    console.error(
      `${/** @type {Error} */ (error).message}\nusage: node local/apprunner-endpoint.js [--port N] [--seed name[:STATUS]]... [--rate-limit N] [--page-size N] [--quota N] [--throttle N] [--handshake-after SECONDS]`,
    );
    process.exit(2);
  }
  const server = await startLocalAppRunner({
    port: args.port,
    ...(args.pageSize ? { pageSize: args.pageSize } : {}),
    ...(args.rateLimit ? { rateLimit: { perSecond: args.rateLimit } } : {}),
    ...(args.quota !== undefined ? { connectionQuota: args.quota } : {}),
    ...(args.handshakeAfter !== undefined ? { handshakeAfterMs: args.handshakeAfter * 1000 } : {}),
  });
  for (const seed of args.seeds)
    server.seedConnection(/** @type {import('./apprunner-endpoint.js').SeedConnection} */ (seed));
  if (args.throttle !== undefined) server.injectFault({ type: 'ThrottlingException', times: args.throttle });
  console.log(`App Runner endpoint listening on ${server.url}`);
  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

const invokedAsProgram = (() => {
  try {
    return (
      process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))
    );
  } catch {
    return false;
  }
})();

if (invokedAsProgram) await main();
