// Types of network-guard.js for a test file that imports it to guard its own worker.

/**
 * Maps more host names to loopback addresses (as NETWORK_GUARD_HOSTS does) and lets loopback
 * address literals be looked up, as the servers of a test process need. The preload never calls it.
 */
export function guardThisProcess(extraHosts?: Readonly<Record<string, string>>): void;
