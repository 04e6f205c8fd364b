import type { Plugin } from '../core/types.js';

/** A Corefile token with where it came from. */
export interface Token {
  readonly text: string;
  readonly file: string;
  readonly line: number;
  /** Written in quotes: `"{"` is a word, not a block. */
  readonly quoted: boolean;
}

/** One line of a directive's block: `name args... [{ ... }]`. Blocks nest. */
export interface DirectiveLine {
  readonly name: Token;
  readonly args: readonly Token[];
  /** Lines inside this line's `{ }`; empty when it has none. */
  readonly block: readonly DirectiveLine[];
}

/** Where a directive sits: the server block's zones and port. */
export interface ServerBlockInfo {
  /** The block's zones, normalised and fully qualified (`example.org.`, `10.in-addr.arpa.`). */
  readonly zones: readonly string[];
  readonly port: number;
  /** The transport of the block's keys: `dns`, `tls`, `https`, `grpc`... */
  readonly transport: string;
}

/**
 * A directive as a plugin's `parse` sees it: its arguments, its block, and its server block.
 * Errors made with {@link DirectiveTokens.error} carry CoreDNS's `File:LINE - Error during parsing:` shape.
 */
export interface DirectiveTokens extends DirectiveLine {
  readonly serverBlock: ServerBlockInfo;
  /** An error located at the token (or at the directive itself). */
  error(message: string, at?: Token): Error;
  /** CoreDNS's "Wrong argument count or unexpected line ending" error. */
  argError(at?: Token): Error;
}

/** A directive that a Corefile can use: parse its tokens, then build the plugin. */
export interface PluginDefinition<O = unknown> {
  /** The directive name, as written in a Corefile. */
  readonly name: string;
  /** Allowed once per server block (CoreDNS's "plugin ... can only be used once per Server Block"). */
  readonly once?: boolean;
  /**
   * When several lines of this directive in one server block make one plugin (CoreDNS merges
   * `log` lines this way): combines their parsed options, in file order. Without it each line is
   * its own plugin.
   */
  combine?(options: readonly O[]): O;
  /** Turns the directive into options; throws located errors for bad input. */
  parse(directive: DirectiveTokens): O;
  /** Builds the plugin, with the same factory that code calls. */
  create(options: O): Plugin;
}
