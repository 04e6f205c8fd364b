/**
 * The cluster model behind the `kubernetes` plugin: compact records, the indexed store, the
 * in-memory cluster, manifest loading, and the interfaces the API-server source implements.
 * @module
 */
export {
  convert,
  kindOf,
  SERVICE_NAME_LABEL,
  toEndpointSlice,
  toNamespace,
  toPod,
  toService,
} from './convert.js';
export { canonicalIp, ipFromReverseName, reverseName } from './ip.js';
export { parseManifests, readManifests } from './manifests.js';
export {
  type EndpointSpec,
  type EndpointsSpec,
  type MemoryCluster,
  type MemoryClusterInit,
  memoryCluster,
  memoryClusterFromPath,
  type PodSpec,
  type PortSpec,
  type ServiceSpec,
} from './memory.js';
export { createClusterStore } from './store.js';
export * from './types.js';
