import type { PluginDefinition } from '../../corefile/types.js';
import { type K8sExternalOptions, k8sExternal } from './k8s_external.js';
import { parseK8sExternal } from './setup.js';

export { type K8sExternalOptions, k8sExternal } from './k8s_external.js';

/** The `k8s_external` directive: `k8s_external [ZONE...] { apex APEX; ttl TTL; headless }`. */
export const k8sExternalDefinition: PluginDefinition<K8sExternalOptions> = {
  name: 'k8s_external',
  parse: parseK8sExternal,
  create: k8sExternal,
};
