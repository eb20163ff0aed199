// Whether App Runner calls go through a proxy, decided by the rules the Actions toolkit applies
// to GitHub calls (@actions/http-client's getProxyUrl and checkBypass; a property test holds this
// module to them), but read from the environment the run is given: https_proxy / http_proxy by
// the endpoint's scheme, lower case first, and no_proxy. The agents live in proxy-agents.ts, a
// chunk loaded only when a proxy applies.

import type { Agent } from 'node:http';

import type { Environment } from './environment.js';
import { ConfigurationError, type ProxyRoute } from './errors.js';

/** How the App Runner client reaches its endpoint through a proxy. */
export interface ProxyRouting {
  /** The URL the decision was made for: the client must call exactly this one. */
  readonly endpoint: string;
  readonly httpAgent?: Agent;
  readonly httpsAgent?: Agent;
  readonly route: ProxyRoute;
  /** Every form of the proxy's credentials that must never be shown. */
  readonly secrets: readonly string[];
}

/** A proxy the environment names for an endpoint, with what may be shown of it. */
export interface ResolvedProxy {
  readonly route: ProxyRoute;
  /** The proxy without credentials: what the agent connects to. */
  readonly url: URL;
  /** `Basic ...` for the Proxy-Authorization header, when the URL carried credentials. */
  readonly authorization: string | undefined;
  /** Every form of the credentials that must never be shown: the password (or a lone user) as written and decoded, the header. */
  readonly secrets: readonly string[];
}

/** The variable that names a proxy for the endpoint's scheme, if one is set: the lower-case one first. */
export function proxyVariable(endpoint: URL, env: Environment): string | undefined {
  const names = endpoint.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  return names.find((name) => env[name]);
}

/**
 * Whether the endpoint goes direct whatever the proxy variables say: a loopback host, or an entry
 * of no_proxy (else NO_PROXY), compared without regard to case: `*`, the host, the host with its
 * port, or a domain it is in (`example.com` or `.example.com`).
 */
export function bypassesProxy(endpoint: URL, env: Environment): boolean {
  const host = endpoint.hostname.toUpperCase();
  if (!host) return false;
  if (
    host === 'LOCALHOST' ||
    host.startsWith('127.') ||
    host.startsWith('[::1]') ||
    host.startsWith('[0:0:0:0:0:0:0:1]')
  ) {
    return true;
  }
  const noProxy = env['no_proxy'] || env['NO_PROXY'] || '';
  const port = endpoint.port || (endpoint.protocol === 'https:' ? '443' : endpoint.protocol === 'http:' ? '80' : '');
  const hosts = port ? [host, `${host}:${port}`] : [host];
  return noProxy
    .split(',')
    .map((entry) => entry.trim().toUpperCase())
    .filter((entry) => entry !== '')
    .some(
      (entry) =>
        entry === '*' ||
        hosts.some(
          (candidate) =>
            candidate === entry ||
            candidate.endsWith(`.${entry}`) ||
            (entry.startsWith('.') && candidate.endsWith(entry)),
        ),
    );
}

/**
 * The proxy the environment names for `endpoint`, or undefined: no proxy variable for its
 * scheme, or no_proxy (or a loopback host) exempts it. A variable that names no usable proxy
 * is an error rather than a silent direct connection.
 */
export function resolveProxy(endpoint: URL, env: Environment): ResolvedProxy | undefined {
  const variable = proxyVariable(endpoint, env);
  if (!variable || bypassesProxy(endpoint, env)) return undefined;

  const named = proxyUrl(env[variable] ?? '');
  if (!named || !['http:', 'https:'].includes(named.url.protocol) || !named.url.hostname) {
    // The value may hold a password: describe it, never quote it.
    throw new ConfigurationError(
      `${variable} is set but names no proxy this action can use: write it as http://host:port, or ` +
        'http://user:password@host:port with special characters percent-encoded (http:// and https:// proxies only).',
    );
  }
  const { url, username, password } = named;
  const proxy = `${url.protocol}//${hostPort(url)}`;
  const target = hostPort(endpoint);
  const withCredentials = username !== '' || password !== '';
  // A user without a password is a token: then the user is the secret, decoded and as written.
  const secret = password ? [password, url.password] : [username, url.username];
  const authorization = withCredentials
    ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    : undefined;
  return {
    route: { proxy, variable, target, withCredentials },
    url: new URL(proxy),
    authorization,
    secrets: withCredentials ? unique([...secret, authorization ?? '']) : [],
  };
}

/** The agents that carry App Runner calls to `endpoint` through the proxy `resolved` names. */
export async function proxyRouting(endpoint: string, resolved: ResolvedProxy): Promise<ProxyRouting> {
  const { proxyAgent } = await import('./proxy-agents.js');
  const endpointUrl = new URL(endpoint);
  const agent = proxyAgent(endpointUrl, resolved);
  const via = { endpoint, route: resolved.route, secrets: resolved.secrets };
  return endpointUrl.protocol === 'https:' ? { ...via, httpsAgent: agent } : { ...via, httpAgent: agent };
}

/**
 * The variable's value as the toolkit reads it: a URL with its user and password decoded, where a
 * value that is no URL (`10.0.0.1:3128`) is tried again as http://; undefined when neither reads.
 */
function proxyUrl(value: string): { url: URL; username: string; password: string } | undefined {
  const read = (text: string) => {
    const url = new URL(text);
    return { url, username: decodeURIComponent(url.username), password: decodeURIComponent(url.password) };
  };
  try {
    return read(value);
  } catch {
    if (value.startsWith('http://') || value.startsWith('https://')) return undefined;
    try {
      return read(`http://${value}`);
    } catch {
      return undefined;
    }
  }
}

/** `host:port`, the port spelt out even when it is the scheme's default. */
function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values.filter((value) => value !== ''))];
}
