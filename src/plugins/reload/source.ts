/**
 * What the `reload` plugin reloads: the host that built the server from a Corefile (the dnskit
 * CLI) registers one. It is process wide because the plugin is made from the Corefile itself,
 * which knows nothing of the file it came from.
 */
export interface ReloadSource {
  /** The configuration text as it is now (the Corefile on disk); throws when it cannot be read. */
  read(): string;
  /** The configuration text the server runs. */
  running(): string;
  /**
   * Builds a configuration from `text` and switches the running server to it without dropping
   * queries (`DnsServer.reload`). Throws, leaving the old configuration serving, when the text is
   * invalid (a located `CorefileError`) or the new configuration cannot start.
   */
  apply(text: string): Promise<void>;
}

let current: ReloadSource | undefined;

/** Registers (or with undefined, clears) the process's reload source; the CLI calls it. */
export function setReloadSource(source: ReloadSource | undefined): void {
  current = source;
}

/** The registered reload source, if any. */
export function reloadSource(): ReloadSource | undefined {
  return current;
}
