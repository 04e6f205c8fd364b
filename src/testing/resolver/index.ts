/**
 * A pod's libc resolver, emulated against a dnskit server: resolv.conf, glibc's and musl's
 * search rules, and a `dns.lookup` replacement built on it.
 * @module
 */

export {
  DEFAULT_RESOLV_OPTIONS,
  formatResolvConf,
  MAX_NAMESERVERS,
  type PodResolvConfOptions,
  parseResolvConf,
  podResolvConf,
  type ResolvConf,
  type ResolvOptions,
} from '../../plugin-kit/resolv-conf.js';
export { fastClock, realClock } from './clock.js';
export { type PodLookup, type PodLookupCallback, podLookup } from './lookup.js';
export {
  type Libc,
  type PodResolver,
  type PodResolverOptions,
  podResolver,
  type ResolveOptions,
} from './resolver.js';
export { type Script, type ScriptedBehaviour, type ScriptedName, scripted } from './scripted.js';
export { type SocketExchangeOptions, serverExchange, socketExchange } from './transport.js';
export type {
  AddressType,
  Family,
  QueryOutcome,
  ResolvedAddress,
  ResolveFailure,
  ResolveResult,
  ResolverClock,
  ResolverExchange,
  SettledAnswer,
  TriedQuery,
} from './types.js';
