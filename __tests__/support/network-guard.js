// Preloaded into the action's process by the proxy specs (NODE_OPTIONS=--import=<this file>):
// the process may open sockets to loopback addresses only, and resolves no host name but those
// NETWORK_GUARD_HOSTS lists (`name=127.0.0.1,other=::1`). Anything else fails at once with
// code EGUARD and a line on stderr, so a run that ignores the proxy fails instead of reaching
// out, and a spec can see what was refused. A test file may also import it to guard its own
// vitest worker, a process of its own (then guardThisProcess, below).

import dns from 'node:dns';
import net from 'node:net';

const hosts = new Map(
  (process.env['NETWORK_GUARD_HOSTS'] ?? '')
    .split(',')
    .filter(Boolean)
    .map((entry) => /** @type {[string, string]} */ (entry.split('=', 2))),
);
hosts.set('localhost', '127.0.0.1');

/** @param {string} address */
const isLoopback = (address) => /^127\./.test(address) || address === '::1';

// A refused DNS lookup carries this code: EGUARD by default, so a spec sees the guard at work;
// NETWORK_GUARD_DNS_CODE=ENOTFOUND makes it fail as a name that does not resolve.
const DNS_CODE = process.env['NETWORK_GUARD_DNS_CODE'] || 'EGUARD';

/**
 * @param {string} what
 * @param {string} [code]
 */
function refusal(what, code = 'EGUARD') {
  process.stderr.write(`network guard: refused ${what}\n`);
  return Object.assign(new Error(`network guard: ${what} refused (tests stay on 127.0.0.1)`), { code });
}

/**
 * The host and the options object of any form of `socket.connect`: (options, cb), (port, host, cb),
 * (path, cb), or the internal normalized array.
 * @param {unknown[]} args
 */
function targetOf(args) {
  const first = Array.isArray(args[0]) ? args[0][0] : args[0];
  if (typeof first === 'object' && first !== null) {
    const options = /** @type {{ host?: string, path?: string }} */ (first);
    return { options, host: options.path ? undefined : (options.host ?? 'localhost') };
  }
  if (typeof first === 'number' || /^\d+$/.test(String(first))) {
    return { options: undefined, host: typeof args[1] === 'string' ? args[1] : 'localhost' };
  }
  return { options: undefined, host: undefined }; // An IPC path.
}

const connect = net.Socket.prototype.connect;
/** @this {net.Socket} @param {any[]} args */
net.Socket.prototype.connect = function guardedConnect(...args) {
  const { options, host } = targetOf(args);
  const bare = host?.replace(/^\[|\]$/g, '');
  if (bare === undefined || (net.isIP(bare) && isLoopback(bare))) return Reflect.apply(connect, this, args);
  const mapped = hosts.get(bare.toLowerCase());
  if (mapped) {
    // Connect to the mapped address; TLS took its server name from the host name already.
    if (options) options.host = mapped;
    else args[1] = mapped;
    return Reflect.apply(connect, this, args);
  }
  const error = net.isIP(bare) ? refusal(`a connection to ${bare}`) : refusal(`the DNS lookup of ${bare}`, DNS_CODE);
  process.nextTick(() => this.destroy(error));
  return this;
};

// Off in the preload: the bundle's process never looks up an address. A test file that installs
// the guard in its own worker turns it on (guardThisProcess), as its servers listen on 127.0.0.1.
let loopbackLiterals = false;

/** The address the guard resolves `hostname` to, if any. @param {string} hostname */
function addressOf(hostname) {
  const name = String(hostname);
  if (loopbackLiterals && net.isIP(name) && isLoopback(name)) return name;
  return hosts.get(name.toLowerCase());
}

/**
 * For a test file that imports this module to guard its own vitest worker (a process of its
 * own): maps more host names to loopback addresses, as NETWORK_GUARD_HOSTS does, and lets
 * loopback address literals be looked up (Node looks up the host a server listens on). The
 * preload never calls it, so the bundle runs under the guard exactly as before.
 * @param {Readonly<Record<string, string>>} [extraHosts] host name -> loopback address
 */
export function guardThisProcess(extraHosts = {}) {
  for (const [name, address] of Object.entries(extraHosts)) {
    if (!isLoopback(address)) throw new Error(`network guard: ${name} must map to a loopback address, not ${address}`);
    hosts.set(name.toLowerCase(), address);
  }
  loopbackLiterals = true;
}

/** @param {string} name */
const lookupRefused = (name) => refusal(`the DNS lookup of ${name}`, DNS_CODE);

/** @param {string} hostname @param {any[]} rest */
dns.lookup = function guardedLookup(hostname, ...rest) {
  const callback = rest.at(-1);
  const options = typeof rest[0] === 'object' && rest[0] !== null ? rest[0] : {};
  const address = addressOf(hostname);
  process.nextTick(() => {
    if (!address) return callback(lookupRefused(hostname));
    const family = net.isIP(address);
    return options.all ? callback(null, [{ address, family }]) : callback(null, address, family);
  });
};
/** @param {string} hostname @param {{ all?: boolean }} [options] */
dns.promises.lookup = async (hostname, options) => {
  const address = addressOf(hostname);
  if (!address) throw lookupRefused(hostname);
  const family = net.isIP(address);
  return options?.all ? [{ address, family }] : { address, family };
};
for (const name of Object.keys(dns).filter((key) => key.startsWith('resolve'))) {
  Object.assign(dns, {
    [name]: (/** @type {string} */ hostname, /** @type {any[]} */ ...rest) =>
      process.nextTick(() => rest.at(-1)(lookupRefused(hostname))),
  });
}
