// Proxies and endpoints for the proxy specs, all on 127.0.0.1:
// - a real HTTP proxy (TooTallNate's `proxy`, the one proxy-agent's own tests use): CONNECT
//   tunnels and absolute-form requests, Basic credentials when asked, refusals by target. It
//   knows host names the action's process cannot resolve (its own "hosts file") and sends any
//   other name to a closed loopback port, so nothing it forwards leaves 127.0.0.1;
// - a "proxy" that accepts connections and never answers, and a port nothing listens on;
// - a TLS front for the local App Runner endpoint, with a throwaway CA made by openssl.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';

import { createProxy } from 'proxy';

import { listenOnLoopback } from './loopback-server.js';

/** Where nothing listens: what the proxy forwards names it does not know to. */
const NOWHERE = '127.0.0.1:9';

export interface ProxyRequest {
  /** CONNECT for a tunnel, or the method of an absolute-form request. */
  readonly method: string;
  /** `host:port` of a CONNECT, the absolute URL of a forwarded request. */
  readonly target: string;
  /** The Proxy-Authorization header as received. */
  readonly authorization: string | undefined;
}

export interface TestProxyOptions {
  /** Host names only the proxy can resolve, and the loopback address each stands for. */
  readonly hosts: Readonly<Record<string, string>>;
  /** Basic credentials the proxy requires; it requires none when omitted. */
  readonly credentials?: { readonly user: string; readonly password: string };
  /** CONNECT targets (`host:port`) the proxy answers with this status instead of a tunnel (403: an allow-list). */
  readonly refuse?: Readonly<Record<string, number>>;
}

export interface TestProxy {
  /** `http://127.0.0.1:PORT`, without credentials. */
  readonly url: string;
  /** The proxy's URL with credentials in it, percent-encoded as a runner's https_proxy holds them. */
  urlWith(user: string, password: string): string;
  /** Every request the proxy received, in arrival order. */
  readonly requests: ProxyRequest[];
  close(): Promise<void>;
}

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const requests: ProxyRequest[] = [];
  const server = createProxy(createServer());
  const { credentials } = options;
  const expected =
    credentials && `Basic ${Buffer.from(`${credentials.user}:${credentials.password}`).toString('base64')}`;
  server.authenticate = (req) => expected === undefined || req.headers['proxy-authorization'] === expected;

  // Wrap the proxy's own handlers: record each request, answer refusals, resolve host names.
  const [tunnel] = server.listeners('connect') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  const [forward] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('connect');
  server.removeAllListeners('request');
  server.on('connect', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const target = req.url ?? '';
    requests.push({ method: 'CONNECT', target, authorization: req.headers['proxy-authorization'] });
    const status = options.refuse?.[target];
    if (status !== undefined) {
      socket.end(`HTTP/1.1 ${status} Refused by the test proxy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`);
      return;
    }
    const port = target.slice(target.lastIndexOf(':') + 1);
    const address = options.hosts[target.slice(0, target.lastIndexOf(':'))];
    req.url = address ? `${address}:${port}` : NOWHERE;
    tunnel?.call(server, req, socket, head);
  });
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.url ?? '';
    requests.push({ method: req.method ?? '', target, authorization: req.headers['proxy-authorization'] });
    const url = new URL(target, 'http://invalid.test');
    const address = options.hosts[url.hostname];
    url.host = address ? `${address}:${url.port || 80}` : NOWHERE;
    req.url = url.href;
    forward?.call(server, req, res);
  });

  const { port, close } = await listenOnLoopback(server);
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    urlWith: (user, password) => `http://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}`,
    requests,
    close,
  };
}

/** A proxy that accepts every connection and never says a word. */
export async function startHangingProxy(): Promise<{ readonly url: string; close(): Promise<void> }> {
  const { port, close } = await listenOnLoopback(createTcpServer());
  return { url: `http://127.0.0.1:${port}`, close };
}

/** A loopback port nothing listens on (it was free a moment ago). */
export async function closedPort(): Promise<number> {
  const { port, close } = await listenOnLoopback(createTcpServer());
  await close();
  return port;
}

export interface TestCertificates {
  /** PEM file of the throwaway CA, for NODE_EXTRA_CA_CERTS. */
  readonly caFile: string;
  readonly key: string;
  readonly cert: string;
  /** Deletes the files, private keys included. */
  remove(): void;
}

/**
 * A CA made for this test run and a server certificate it signs for `hostname`, made by
 * openssl in a temporary folder. Nothing is committed: the keys live as long as the run.
 */
export function makeTestCertificates(hostname: string): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), 'proxy-spec-certs-'));
  const file = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ecKey = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ecKey,
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '1',
    '-subj',
    '/CN=apprunner-connection-action test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ecKey, '-keyout', file('server.key'), '-out', file('server.csr'), '-subj', `/CN=${hostname}`);
  writeFileSync(
    file('server.ext'),
    `subjectAltName=DNS:${hostname}\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n`,
  );
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '1',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.pem'),
  );
  const read = (name: string) => readFileSync(file(name), 'utf8');
  return {
    caFile: file('ca.pem'),
    key: read('server.key'),
    cert: read('server.pem'),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** HTTPS in front of an http:// endpoint on 127.0.0.1: TLS ends here, bytes go on as they are. */
export async function startTlsFront(
  backendUrl: string,
  certificates: Pick<TestCertificates, 'key' | 'cert'>,
): Promise<{ readonly port: number; close(): Promise<void> }> {
  const backend = new URL(backendUrl);
  const server = createTlsServer({ key: certificates.key, cert: certificates.cert }, (socket) => {
    const upstream = connect(Number(backend.port), backend.hostname);
    socket.pipe(upstream).pipe(socket);
    const end = () => {
      socket.destroy();
      upstream.destroy();
    };
    socket.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  return listenOnLoopback(server);
}
