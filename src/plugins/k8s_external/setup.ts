import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveTokens } from '../../corefile/types.js';
import type { K8sExternalOptions } from './k8s_external.js';

/** `k8s_external [ZONE...] { apex APEX; ttl TTL; headless }`. */
export function parseK8sExternal(directive: DirectiveTokens): K8sExternalOptions {
  const options: { -readonly [K in keyof K8sExternalOptions]: K8sExternalOptions[K] } = {
    zones: pluginZones(directive),
  };
  for (const line of directive.block) {
    const [value] = line.args;
    switch (line.name.text) {
      case 'apex':
        if (value === undefined) throw directive.argError(line.name);
        options.apex = value.text;
        break;
      case 'ttl': {
        if (value === undefined) throw directive.argError(line.name);
        const ttl = /^-?\d+$/.test(value.text) ? Number(value.text) : Number.NaN;
        if (Number.isNaN(ttl))
          throw directive.error(`strconv.Atoi: parsing "${value.text}": invalid syntax`, value);
        if (ttl < 0 || ttl > 3600) throw directive.error(`ttl must be in range [0, 3600]: ${ttl}`, value);
        options.ttl = ttl;
        break;
      }
      case 'headless':
        options.headless = true;
        break;
      default:
        throw directive.error(`unknown property '${line.name.text}'`, line.name);
    }
  }
  return options;
}
