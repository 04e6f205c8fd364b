export {
  normalizeZone,
  parseServerKey,
  type ServerAddress,
  servedTransports,
  transportPorts,
} from './address.js';
export { type LoadedCorefile, type LoadOptions, loadCorefile } from './build.js';
export type { EnvLookup } from './env.js';
export { CorefileError, type Location } from './errors.js';
export { type ParsedCorefile, type ParsedServerBlock, type ParseOptions, parseCorefile } from './parser.js';
export { fallthroughFrom, pluginZones, zoneArgument } from './plugin-zones.js';
export { type Network, parseCidr, reverseZones, splitOnDigitBoundary } from './reverse.js';
export type { SourceOptions } from './sources.js';
export type {
  DirectiveLine,
  DirectiveTokens,
  PluginDefinition,
  ServerBlockInfo,
  Token,
} from './types.js';
