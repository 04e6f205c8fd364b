import type { ServerBlockOptions } from '../core/options.js';
import type { Plugin } from '../core/types.js';
import { isCorednsDirective } from '../registry/order.js';
import type { Registry } from '../registry/registry.js';
import { directiveTokens } from './directive-tokens.js';
import { CorefileError } from './errors.js';
import { type ParsedServerBlock, type ParseOptions, parseWithHooks } from './parser.js';
import { bindArguments, blockZones, checkDuplicateZones, groupByPort } from './server-keys.js';
import type { DirectiveLine, PluginDefinition, ServerBlockInfo, Token } from './types.js';

/** Options of {@link loadCorefile}. */
export interface LoadOptions extends ParseOptions {
  /** The directives the Corefile may use. */
  readonly registry: Registry;
  /** Port for `dns` keys without one (the CLI's `-dns.port`); default 53. */
  readonly defaultPort?: number;
}

/** What a Corefile builds: one entry per server block and port, ready for `createServer({ blocks })`. */
export interface LoadedCorefile {
  readonly blocks: ServerBlockOptions[];
}

/** CoreDNS rejects unknown directives while parsing, so the first bad name in the file is reported. */
function checkDirective(name: Token, registry: Registry): void {
  if (registry.has(name.text)) return;
  if (isCorednsDirective(name.text)) {
    throw new CorefileError(name, `dnskit does not support the '${name.text}' directive yet`);
  }
  throw new CorefileError(name, `Unknown directive '${name.text}'`);
}

/** The block's lines in the registry's order; lines of one directive keep their file order (stable sort). */
function inExecutionOrder(lines: readonly DirectiveLine[], registry: Registry): DirectiveLine[] {
  const rank = new Map(registry.order().map((name, index) => [name, index]));
  return [...lines].sort((a, b) => (rank.get(a.name.text) ?? 0) - (rank.get(b.name.text) ?? 0));
}

function instantiate(line: DirectiveLine, definition: PluginDefinition, info: ServerBlockInfo): Plugin {
  try {
    return definition.create(definition.parse(directiveTokens(line, info)));
  } catch (error) {
    if (error instanceof CorefileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CorefileError(line.name, `plugin/${line.name.text}: ${message}`);
  }
}

function buildChain(block: ParsedServerBlock, info: ServerBlockInfo, registry: Registry): Plugin[] {
  const seen = new Set<string>();
  return inExecutionOrder(block.directives, registry).map((line) => {
    const definition = registry.get(line.name.text) as PluginDefinition;
    if (definition.once === true && seen.has(line.name.text)) {
      throw new CorefileError(
        line.name,
        `plugin/${line.name.text}: this plugin can only be used once per Server Block`,
      );
    }
    seen.add(line.name.text);
    return instantiate(line, definition, info);
  });
}

/**
 * Builds server block options from a Corefile, as CoreDNS would: parses it (snippets, imports,
 * `{$ENV}`), rejects unknown directives in file order, turns keys into zones and ports (CIDR keys
 * into reverse zones), refuses a zone defined twice on one port, then runs each block's directives
 * in the registry's order through `definition.parse` and `definition.create`.
 * A block whose keys name several ports yields one entry per port.
 * Every error is a {@link CorefileError} located at the offending token.
 */
export function loadCorefile(text: string, options: LoadOptions): LoadedCorefile {
  const { registry } = options;
  const parsed = parseWithHooks(text, options, { onDirective: (name) => checkDirective(name, registry) });
  const zoned = parsed.blocks.map((block) => ({
    block,
    zones: blockZones(block, options.defaultPort ?? 53),
    binds: bindArguments(block),
  }));
  checkDuplicateZones(zoned);
  const blocks = zoned.flatMap(({ block, zones }) =>
    groupByPort(zones).map(({ port, zones: group }): ServerBlockOptions => {
      const info: ServerBlockInfo = { zones: group, port, transport: 'dns' };
      return { zones: group, port, plugins: buildChain(block, info, registry) };
    }),
  );
  return { blocks };
}

export { type ParsedCorefile, type ParsedServerBlock, type ParseOptions, parseCorefile } from './parser.js';
