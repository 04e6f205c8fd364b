import type { PluginDefinition } from '../corefile/types.js';
import { corednsDirectives } from './order.js';

/** Where to put a directive in the order: just before or just after another one. */
export interface DirectivePosition {
  readonly before?: string;
  readonly after?: string;
}

/** The directives a Corefile may use, and the order their plugins run in. */
export interface Registry {
  /**
   * Adds a directive. A CoreDNS directive keeps its `plugin.cfg` slot unless `position` moves it;
   * any other name goes where `position` says, or at the very end (after `nomad` and every
   * directive registered before it) when no position is given.
   * Throws when the name is taken or invalid, or the anchor of `position` is not in the order.
   */
  register(definition: PluginDefinition, position?: DirectivePosition): void;
  /** The definition registered under `name`, if any. */
  get(name: string): PluginDefinition | undefined;
  /** True when `name` is registered. */
  has(name: string): boolean;
  /** Every directive name in execution order: CoreDNS's, registered or not, plus third-party ones. */
  order(): readonly string[];
}

function checkName(name: string): void {
  if (name === '' || /[\s{}"#]/.test(name) || name === 'import' || /^\(.*\)$/.test(name)) {
    throw new Error(`invalid directive name: '${name}'`);
  }
}

function place(order: string[], name: string, position: DirectivePosition): void {
  const { before, after } = position;
  if (before !== undefined && after !== undefined) {
    throw new Error(`directive '${name}': give either before or after, not both`);
  }
  const anchor = before ?? after;
  if (anchor === undefined) return;
  if (anchor === name) throw new Error(`directive '${name}' cannot be placed relative to itself`);
  const current = order.indexOf(name);
  if (current !== -1) order.splice(current, 1);
  const index = order.indexOf(anchor);
  if (index === -1) {
    if (current !== -1) order.splice(current, 0, name); // leave the order as it was
    throw new Error(`directive '${name}': '${anchor}' is not in the directive order`);
  }
  order.splice(before !== undefined ? index : index + 1, 0, name);
}

/**
 * Creates a registry that starts with CoreDNS's directive order and the given definitions
 * (typically `builtinPlugins`). Third-party plugins add theirs with {@link Registry.register}.
 */
export function createRegistry(definitions: Iterable<PluginDefinition> = []): Registry {
  const byName = new Map<string, PluginDefinition>();
  const order = [...corednsDirectives];
  const registry: Registry = {
    register(definition, position) {
      const { name } = definition;
      checkName(name);
      if (byName.has(name)) throw new Error(`directive '${name}' is already registered`);
      if (position?.before !== undefined || position?.after !== undefined) place(order, name, position);
      else if (!order.includes(name)) order.push(name);
      byName.set(name, definition);
    },
    get: (name) => byName.get(name),
    has: (name) => byName.has(name),
    order: () => [...order],
  };
  for (const definition of definitions) registry.register(definition);
  return registry;
}
