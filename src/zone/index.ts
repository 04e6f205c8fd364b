/**
 * dnskit's authoritative zone data: an immutable in-memory {@link Zone} with BIND-style lookup,
 * a {@link ZoneStore} of zones by origin, the RFC 1035 master-file parser and printer, and the
 * {@link ZoneProvider} interface of plugins that serve zones.
 * @module
 */
export { ZoneError, ZoneFileError } from './errors.js';
export { compareNames } from './names.js';
export { formatZone } from './parser/format.js';
export {
  type LoadZoneOptions,
  loadZone,
  loadZoneFile,
  type ParseZoneOptions,
  parseZone,
  type ZoneFileReader,
} from './parser/load.js';
export { createZoneStore, isZoneProvider } from './store.js';
export type {
  LookupOptions,
  SoaRecord,
  Zone,
  ZoneAnswer,
  ZoneListener,
  ZoneProvider,
  ZoneSource,
  ZoneStore,
} from './types.js';
export { createZone } from './zone.js';
