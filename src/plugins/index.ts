/**
 * dnskit's built-in plugins, one folder per Corefile directive. Each exports its factory (for
 * code) and its definition (for Corefiles); {@link builtinPlugins} lists the definitions.
 * @module
 */
import type { PluginDefinition } from '../corefile/types.js';
import { anyDefinition } from './any/index.js';
import { autoDefinition } from './auto/index.js';
import { autopathDefinition } from './autopath/index.js';
import { bindDefinition } from './bind/index.js';
import { cacheDefinition } from './cache/index.js';
import { chaosDefinition } from './chaos/index.js';
import { errorsDefinition } from './errors/index.js';
import { fileDefinition } from './file/index.js';
import { forwardDefinition } from './forward/index.js';
import { healthDefinition } from './health/index.js';
import { hostsDefinition } from './hosts/index.js';
import { k8sExternalDefinition } from './k8s_external/index.js';
import { kubernetesDefinition } from './kubernetes/index.js';
import { loadbalanceDefinition } from './loadbalance/index.js';
import { logDefinition } from './log/index.js';
import { loopDefinition } from './loop/index.js';
import { minimalDefinition } from './minimal/index.js';
import { prometheusDefinition } from './prometheus/index.js';
import { readyDefinition } from './ready/index.js';
import { reloadDefinition } from './reload/index.js';
import { rootDefinition } from './root/index.js';
import { secondaryDefinition } from './secondary/index.js';
import { transferDefinition } from './transfer/index.js';
import { whoamiDefinition } from './whoami/index.js';

export { any, anyDefinition } from './any/index.js';
export { type AutoOptions, type AutoPlugin, auto, autoDefinition } from './auto/index.js';
export { type AutoPather, type AutopathOptions, autopath, autopathDefinition } from './autopath/index.js';
export {
  BindAddressError,
  type BindOptions,
  bind,
  bindDefinition,
  type InterfaceTable,
} from './bind/index.js';
export {
  type CacheClock,
  type CacheOptions,
  type CacheTierOptions,
  cache,
  cacheDefinition,
} from './cache/index.js';
export { type ChaosOptions, chaos, chaosDefinition } from './chaos/index.js';
export {
  type ConsolidateRule,
  type ErrorsLevel,
  type ErrorsOptions,
  type ErrorsTimers,
  errors,
  errorsDefinition,
} from './errors/index.js';
export { type FileOptions, type FilePlugin, file, fileDefinition } from './file/index.js';
export {
  type ForwardOptions,
  type ForwardTlsOptions,
  forward,
  forwardDefinition,
  type PolicyName,
  parseUpstreamAddress,
  type UpstreamAddress,
  type UpstreamProtocol,
} from './forward/index.js';
export { type HealthOptions, type HealthPlugin, health, healthDefinition } from './health/index.js';
export {
  type HostsOptions,
  type HostsPlugin,
  type HostsTable,
  type HostsTimers,
  hosts,
  hostsDefinition,
  type ParseHostsOptions,
  parseHostsFile,
} from './hosts/index.js';
export { type K8sExternalOptions, k8sExternal, k8sExternalDefinition } from './k8s_external/index.js';
export {
  type KubernetesApiOptions,
  type KubernetesOptions,
  kubernetes,
  kubernetesDefinition,
  type PodMode,
} from './kubernetes/index.js';
export {
  type LoadbalanceOptions,
  loadbalance,
  loadbalanceDefinition,
  type RandomSource,
  shuffleResponse,
} from './loadbalance/index.js';
export {
  COMBINED_LOG_FORMAT,
  COMMON_LOG_FORMAT,
  type LogClass,
  type LogOptions,
  log,
  logDefinition,
} from './log/index.js';
export { type LoopDetected, type LoopOptions, loop, loopDefinition } from './loop/index.js';
export { minimal, minimalDefinition, minimizeResponse } from './minimal/index.js';
export {
  type PrometheusOptions,
  type PrometheusPlugin,
  prometheus,
  prometheusDefinition,
} from './prometheus/index.js';
export {
  type ReadyMonitor,
  type ReadyOptions,
  type ReadyPlugin,
  ready,
  readyDefinition,
} from './ready/index.js';
export {
  corefileHash,
  type ReloadOptions,
  type ReloadSource,
  reload,
  reloadDefinition,
  reloadSource,
  setReloadSource,
} from './reload/index.js';
export { root, rootDefinition } from './root/index.js';
export {
  type SecondaryOptions,
  type SecondaryPlugin,
  type SecondaryTimers,
  secondary,
  secondaryDefinition,
} from './secondary/index.js';
export {
  serialLess,
  type TransferRule,
  type TransferTarget,
  transfer,
  transferDefinition,
} from './transfer/index.js';
export { whoami, whoamiDefinition } from './whoami/index.js';

/** Every built-in directive, for the Corefile registry. */
export const builtinPlugins: readonly PluginDefinition[] = Object.freeze([
  bindDefinition,
  logDefinition,
  errorsDefinition,
  chaosDefinition,
  anyDefinition,
  minimalDefinition,
  whoamiDefinition,
  hostsDefinition,
  transferDefinition,
  secondaryDefinition,
  kubernetesDefinition,
  cacheDefinition,
  forwardDefinition,
  loopDefinition,
  loadbalanceDefinition,
  healthDefinition,
  readyDefinition,
  prometheusDefinition,
  reloadDefinition,
  rootDefinition,
  fileDefinition,
  autoDefinition,
  autopathDefinition,
  k8sExternalDefinition,
]);
