/**
 * The server core: middleware composition, the server, zones and fallthrough.
 * @module
 */

export { afterNext } from './after-next.js';
export { compose, NextCalledTwiceError } from './compose.js';
export {
  type Fallthrough,
  fallsThrough,
  fallthroughAll,
  noFallthrough,
  parseFallthrough,
} from './fallthrough.js';
export { createLogger, type LineSink, type LoggerOptions, silentLogger } from './logger.js';
export type { ServerBlockOptions, ServerOptions, TcpOptions } from './options.js';
export { serverUdpPayloadSize } from './response.js';
export { createServer } from './server.js';
export type * from './types.js';
export {
  matchZone,
  normalizeZones,
  withinZones,
  type ZoneEntry,
  type ZoneRoute,
  ZoneRouter,
} from './zones.js';
