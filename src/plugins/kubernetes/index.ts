import type { PluginDefinition } from '../../corefile/types.js';
import { type KubernetesOptions, kubernetes } from './kubernetes.js';
import { parseKubernetes } from './setup.js';

export type { PodMode } from '../../cluster/synth/options.js';
export { type KubernetesApiOptions, type KubernetesOptions, kubernetes } from './kubernetes.js';

/** The `kubernetes` directive (CoreDNS's options, plus dnskit's `manifests PATH`), once per block. */
export const kubernetesDefinition: PluginDefinition<KubernetesOptions> = {
  name: 'kubernetes',
  once: true,
  parse: parseKubernetes,
  create: kubernetes,
};
