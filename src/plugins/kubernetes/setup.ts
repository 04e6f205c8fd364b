import { parseLabelSelector } from '../../cluster/selector.js';
import type { PodMode } from '../../cluster/synth/options.js';
import { isReverseZone } from '../../cluster/synth/request.js';
import { fallthroughFrom, pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens, Token } from '../../corefile/types.js';
import type { KubernetesOptions } from './kubernetes.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };
type Options = Mutable<KubernetesOptions>;

const POD_MODES: readonly string[] = ['disabled', 'insecure', 'verified'];

function exactly(directive: DirectiveTokens, line: DirectiveLine, count: number): Token[] {
  if (line.args.length !== count || line.block.length > 0)
    throw directive.argError(line.args[count] ?? line.name);
  return [...line.args];
}

function atLeastOne(directive: DirectiveTokens, line: DirectiveLine): Token[] {
  if (line.args.length === 0 || line.block.length > 0) throw directive.argError(line.name);
  return [...line.args];
}

function selector(directive: DirectiveTokens, line: DirectiveLine, what: string): string {
  const text = atLeastOne(directive, line)
    .map((token) => token.text)
    .join(' ');
  try {
    return parseLabelSelector(text).text;
  } catch (error) {
    throw directive.error(
      `unable to parse ${what} selector value: '${text}': ${(error as Error).message}`,
      line.args[0],
    );
  }
}

function ttl(directive: DirectiveTokens, line: DirectiveLine): number {
  const [token] = exactly(directive, line, 1) as [Token];
  if (!/^[+-]?\d+$/.test(token.text))
    throw directive.error(`strconv.Atoi: parsing "${token.text}": invalid syntax`, token);
  const value = Number(token.text);
  if (value < 0 || value > 3600) throw directive.error(`ttl must be in range [0, 3600]: ${value}`, token);
  return value;
}

function api(options: Options): Mutable<NonNullable<KubernetesOptions['api']>> {
  options.api ??= {};
  return options.api as Mutable<NonNullable<KubernetesOptions['api']>>;
}

/** One line of the block; false when the property is unknown. */
function property(directive: DirectiveTokens, line: DirectiveLine, options: Options): boolean {
  switch (line.name.text) {
    case 'endpoint':
      // CoreDNS accepts several URLs for compatibility and uses the first.
      api(options).endpoint = (atLeastOne(directive, line)[0] as Token).text;
      return true;
    case 'tls': {
      const [cert, key, ca] = exactly(directive, line, 3) as [Token, Token, Token];
      api(options).tls = { cert: cert.text, key: key.text, ca: ca.text };
      return true;
    }
    case 'kubeconfig': {
      const [path, context] = line.args;
      if (path === undefined || line.args.length > 2 || line.block.length > 0)
        throw directive.argError(line.args[2] ?? line.name);
      api(options).kubeconfig =
        context === undefined ? { path: path.text } : { path: path.text, context: context.text };
      return true;
    }
    case 'namespaces':
      options.namespaces = atLeastOne(directive, line).map((token) => token.text);
      return true;
    case 'labels':
      options.labels = selector(directive, line, 'label');
      return true;
    case 'namespace_labels':
      options.namespaceLabels = selector(directive, line, 'namespace_label');
      return true;
    default:
      return behaviour(directive, line, options);
  }
}

/** The options that shape answers rather than the connection. */
function behaviour(directive: DirectiveTokens, line: DirectiveLine, options: Options): boolean {
  switch (line.name.text) {
    case 'pods': {
      const [mode] = exactly(directive, line, 1) as [Token];
      if (!POD_MODES.includes(mode.text)) {
        throw directive.error(
          `wrong value for pods: ${mode.text},  must be one of: disabled, verified, insecure`,
          mode,
        );
      }
      options.pods = mode.text as PodMode;
      return true;
    }
    case 'endpoint_pod_names':
      exactly(directive, line, 0);
      options.endpointPodNames = true;
      return true;
    case 'ttl':
      options.ttl = ttl(directive, line);
      return true;
    case 'noendpoints':
      exactly(directive, line, 0);
      options.noEndpoints = true;
      return true;
    case 'fallthrough':
      options.fallthrough = fallthroughFrom(directive, line);
      return true;
    case 'ignore': {
      const [what] = exactly(directive, line, 1) as [Token];
      if (what.text !== 'empty_service')
        throw directive.error(`unable to parse ignore value: '${what.text}'`, what);
      options.ignoreEmptyService = true;
      return true;
    }
    case 'manifests':
      options.manifests = (exactly(directive, line, 1)[0] as Token).text;
      return true;
    default:
      return false;
  }
}

/**
 * `kubernetes [ZONES...] { endpoint URL; tls CERT KEY CACERT; kubeconfig KUBECONFIG [CONTEXT];
 * namespaces NAMESPACE...; labels EXPRESSION; namespace_labels EXPRESSION; pods POD-MODE;
 * endpoint_pod_names; ttl TTL; noendpoints; fallthrough [ZONES...]; ignore empty_service;
 * manifests PATH }`.
 */
export function parseKubernetes(directive: DirectiveTokens): KubernetesOptions {
  const zones = pluginZones(directive);
  if (zones.every((zone) => isReverseZone(zone))) {
    throw directive.error('non-reverse zone name must be used', directive.args[0]);
  }
  const options: Options = { zones };
  for (const line of directive.block) {
    if (!property(directive, line, options))
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
  }
  if (options.namespaces !== undefined && options.namespaceLabels !== undefined) {
    throw directive.error('namespaces and namespace_labels cannot both be set');
  }
  if (options.manifests !== undefined && options.api !== undefined) {
    throw directive.error('manifests cannot be combined with endpoint, tls or kubeconfig');
  }
  return options;
}
