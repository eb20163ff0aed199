// Whether App Runner calls go through a proxy, by the rules the Actions toolkit applies to GitHub
// calls (@actions/http-client's getProxyUrl and checkBypass: https_proxy or http_proxy by the
// endpoint's scheme, lower case first, no_proxy, never a loopback host), and what of the proxy may
// be shown. Like the SDK's credential chain, those rules read process.env. The agents live in
// proxy-agents.ts, a chunk loaded only when a proxy applies.

import type { Agent } from 'node:http';

import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';

import { ProblemError } from './errors.js';
import { type Environment, type ProxyRoute, configuredEndpoint } from './model.js';

export type ProxyDecision =
  /** No proxy variable for the endpoint's scheme. */
  | { readonly kind: 'none' }
  /** A proxy variable is set, but no_proxy or a loopback host exempts the endpoint. */
  | { readonly kind: 'bypassed'; readonly variable: string }
  | { readonly kind: 'proxy'; readonly proxy: ResolvedProxy };

export interface ResolvedProxy {
  readonly route: ProxyRoute;
  /** The proxy without credentials: what the agent connects to. */
  readonly url: URL;
  /** The Proxy-Authorization header, when the URL carried credentials. */
  readonly authorization: string | undefined;
  /** Every form of the credentials that must never be shown: as written, decoded, and the header. */
  readonly secrets: readonly string[];
}

export function decideProxy(endpoint: URL): ProxyDecision {
  const names = endpoint.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => process.env[name]);
  if (!variable) return { kind: 'none' };
  if (checkBypass(endpoint)) return { kind: 'bypassed', variable };
  let named: URL | undefined;
  try {
    named = getProxyUrl(endpoint);
  } catch {
    named = undefined;
  }
  // A variable that names no usable proxy is an error, not a silent direct connection.
  if (!named || !['http:', 'https:'].includes(named.protocol) || !named.hostname) {
    throw new ProblemError({ kind: 'bad-proxy-variable', value: variable });
  }
  const { username, password } = named; // decoded by the toolkit
  const proxy = `${named.protocol}//${hostPort(named)}`;
  const withCredentials = username !== '' || password !== '';
  const authorization = withCredentials
    ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    : undefined;
  // A user without a password is a token: then the user is the secret, decoded and as written.
  const field = password ? 'password' : 'username';
  const secret = [named[field], Reflect.get(URL.prototype, field, named) as string];
  return {
    kind: 'proxy',
    proxy: {
      route: { proxy, variable, target: hostPort(endpoint), withCredentials },
      url: new URL(proxy),
      authorization,
      secrets: withCredentials ? [...new Set([...secret, authorization ?? ''].filter((value) => value !== ''))] : [],
    },
  };
}

/** `host:port`, the port spelt out even when it is the scheme's default. */
function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

export interface CallRoute {
  /** The URL calls go to: the configured endpoint, or through a proxy exactly the one it was chosen for. */
  readonly endpoint: string | undefined;
  readonly proxy: ProxyRoute | undefined;
  readonly agents?: { readonly httpAgent?: Agent; readonly httpsAgent?: Agent };
  /** Every form of the proxy's credentials, to register as secrets before anything is printed. */
  readonly secrets: readonly string[];
  /** The proxy variable that no_proxy (or a loopback host) exempts the endpoint `host` from. */
  readonly bypassed?: { readonly host: string; readonly variable: string };
}

/** How App Runner calls reach the Region's endpoint: direct, or through the proxy the environment names. */
export async function routeCalls(region: string, env: Environment): Promise<CallRoute> {
  const configured = configuredEndpoint(env);
  const endpoint = configured ?? `https://apprunner.${region}.amazonaws.com`;
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    return { endpoint: configured, proxy: undefined, secrets: [] }; // The SDK reports it on the first call.
  }
  const decision = decideProxy(url);
  if (decision.kind === 'bypassed') {
    return {
      endpoint: configured,
      proxy: undefined,
      secrets: [],
      bypassed: { host: url.host, variable: decision.variable },
    };
  }
  if (decision.kind === 'none') return { endpoint: configured, proxy: undefined, secrets: [] };
  const { route, secrets } = decision.proxy;
  const { proxyAgent } = await import('./proxy-agents.js');
  const agent = proxyAgent(url, decision.proxy);
  const agents = url.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent };
  return { endpoint, proxy: route, agents, secrets };
}
