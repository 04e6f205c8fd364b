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

/** Runs `create` (or `parse`) and turns any error that is not located yet into one at `at`. */
function located<T>(at: Token, make: () => T): T {
  try {
    return make();
  } catch (error) {
    if (error instanceof CorefileError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    throw new CorefileError(at, `plugin/${at.text}: ${message}`);
  }
}

/** One plugin from the lines of one directive: each line alone, or all combined when the definition says so. */
function instantiate(
  lines: readonly DirectiveLine[],
  definition: PluginDefinition,
  info: ServerBlockInfo,
): Plugin[] {
  const first = (lines[0] as DirectiveLine).name;
  const parsed = lines.map((line) => located(line.name, () => definition.parse(directiveTokens(line, info))));
  if (definition.combine !== undefined) {
    const combine = definition.combine.bind(definition);
    return [located(first, () => definition.create(combine(parsed)))];
  }
  return parsed.map((options, i) =>
    located((lines[i] as DirectiveLine).name, () => definition.create(options)),
  );
}

function buildChain(block: ParsedServerBlock, info: ServerBlockInfo, registry: Registry): Plugin[] {
  const groups = new Map<string, DirectiveLine[]>();
  for (const line of inExecutionOrder(block.directives, registry)) {
    const group = groups.get(line.name.text);
    if (group === undefined) groups.set(line.name.text, [line]);
    else group.push(line);
  }
  return [...groups.entries()].flatMap(([name, lines]) => {
    const definition = registry.get(name) as PluginDefinition;
    const repeat = lines[1];
    if (definition.once === true && repeat !== undefined) {
      throw new CorefileError(
        repeat.name,
        `plugin/${name}: this plugin can only be used once per Server Block`,
      );
    }
    return instantiate(lines, definition, info);
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
