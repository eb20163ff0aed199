// Whether App Runner calls go through a proxy, by the Actions toolkit's own rules, and what of the proxy may be shown.

import type { Agent, ClientRequest } from 'node:http';

import { checkBypass, getProxyUrl } from '@actions/http-client/lib/proxy';

import { ProblemError, ProxyError } from './errors.js';
import { type Environment, type ProxyRoute, configuredEndpoint } from './model.js';

export interface CallRoute {
  /** Through a proxy, exactly the URL the proxy was chosen for. */
  readonly endpoint: string | undefined;
  readonly proxy?: ProxyRoute;
  readonly agents?: { readonly httpAgent?: Agent; readonly httpsAgent?: Agent };
  /** Every form of the proxy's credentials (as written, decoded, the header): to register as secrets first. */
  readonly secrets: readonly string[];
  readonly bypassed?: { readonly host: string; readonly variable: string };
}

export async function routeCalls(region: string, env: Environment): Promise<CallRoute> {
  const configured = configuredEndpoint(env);
  const direct = { endpoint: configured, secrets: [] };
  const target = configured ?? `https://apprunner.${region}.amazonaws.com`;
  if (!URL.canParse(target)) return direct; // Not a URL: the SDK reports it on the first call.
  const endpoint = new URL(target);
  const names = endpoint.protocol === 'https:' ? ['https_proxy', 'HTTPS_PROXY'] : ['http_proxy', 'HTTP_PROXY'];
  const variable = names.find((name) => process.env[name]);
  if (!variable) return direct;
  if (checkBypass(endpoint)) return { ...direct, bypassed: { host: endpoint.host, variable } };
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
  const withCredentials = username !== '' || password !== '';
  const authorization = withCredentials
    ? `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`
    : undefined;
  // A user without a password is a token: then the user is the secret, decoded and as written.
  const field = password ? 'password' : 'username';
  const secrets = [named[field], Reflect.get(URL.prototype, field, named) as string, authorization ?? ''];
  const proxy = `${named.protocol}//${hostPort(named)}`;
  const route = { proxy, variable, target: hostPort(endpoint), withCredentials };
  const agent = await proxyAgent(endpoint, route, authorization);
  return {
    endpoint: target,
    proxy: route,
    agents: endpoint.protocol === 'https:' ? { httpsAgent: agent } : { httpAgent: agent },
    secrets: [...new Set(secrets.filter((secret) => secret !== ''))],
  };
}

function hostPort(url: URL): string {
  return `${url.hostname}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** The agent that carries the calls through the proxy (its library loaded only then), reporting the proxy's own failures. */
async function proxyAgent(endpoint: URL, route: ProxyRoute, authorization: string | undefined): Promise<Agent> {
  const url = new URL(route.proxy); // no credentials (the agents print it in debug logs): they travel in a header
  const options = {
    keepAlive: true,
    maxSockets: 50,
    headers: authorization ? { 'Proxy-Authorization': authorization } : {},
  };
  const secure = endpoint.protocol === 'https:';
  const agent = secure
    ? new (await import('https-proxy-agent')).HttpsProxyAgent(url, options)
    : new (await import('http-proxy-agent')).HttpProxyAgent(url, options);
  // Else agent-base guesses from the call stack, and a kept-alive tunnel is pooled under another name, never reused.
  agent.isSecureEndpoint = () => secure;
  type Connect = (req: ClientRequest, opts: Parameters<typeof agent.connect>[1]) => Promise<unknown>;
  const connect = agent.connect.bind(agent) as Connect;
  (agent as { connect: Connect }).connect = async (req, opts) => {
    let status: number | undefined;
    req.once('proxyConnect', (response: { statusCode?: number }) => (status = response.statusCode));
    const socket = await connect(req, opts).catch((error: unknown) => {
      const code = (error as { code?: unknown } | undefined)?.code;
      throw new ProxyError(route, undefined, typeof code === 'string' ? code : undefined);
    });
    // On a refusal the library returns a socket replaying the proxy's page, which the SDK would take for App Runner's.
    if (status !== undefined && status !== 200) {
      (socket as { destroy(): void }).destroy();
      throw new ProxyError(route, status, undefined);
    }
    return socket;
  };
  return agent;
}
