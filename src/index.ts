/**
 * dnskit: an embeddable DNS server toolkit in the spirit of CoreDNS.
 *
 * Compose plugins into a server with {@link createServer}, run Corefiles with
 * {@link loadCorefile}, and test without sockets through `server.exchange()` and `dnskit/testing`.
 * @packageDocumentation
 */
export * from './cluster/index.js';
export * from './core/index.js';
export * from './corefile/index.js';
export * from './plugins/index.js';
export * from './registry/index.js';
export * from './wire/index.js';
export * from './zone/index.js';
