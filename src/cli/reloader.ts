import { readFileSync } from 'node:fs';
import type { DnsServer, Logger } from '../core/types.js';
import { loadCorefile } from '../corefile/build.js';
import { builtinPlugins } from '../plugins/index.js';
import { type ReloadSource, setReloadSource } from '../plugins/reload/index.js';
import { createRegistry } from '../registry/registry.js';

/** Where the CLI's configuration comes from, and how to build it. */
export interface CorefileInput {
  readonly file: string;
  readonly text: string;
  /** False for the embedded default: there is no file to read again. */
  readonly onDisk: boolean;
  readonly defaultPort: number | undefined;
}

/** Builds the server blocks of a Corefile text with the built-in plugins. */
export function buildBlocks(input: CorefileInput, text: string): ReturnType<typeof loadCorefile>['blocks'] {
  return loadCorefile(text, {
    file: input.file,
    registry: createRegistry(builtinPlugins),
    ...(input.defaultPort === undefined ? {} : { defaultPort: input.defaultPort }),
  }).blocks;
}

/**
 * Registers the Corefile as the `reload` plugin's source and makes SIGUSR1 reload it, as CoreDNS
 * does. Call before `listen()`, so that the plugin finds the source when it starts.
 * Returns a function that undoes both.
 */
export function watchCorefile(input: CorefileInput, server: () => DnsServer, logger: Logger): () => void {
  let running = input.text;
  const read = () => (input.onDisk ? readFileSync(input.file, 'utf8') : input.text);
  const apply = async (text: string, label: string) => {
    logger.info(`${label}Reloading`);
    await server().reload({ blocks: buildBlocks(input, text) });
    running = text;
    logger.info(`${label}Reloading complete`);
  };
  const source: ReloadSource = { read, running: () => running, apply: (text) => apply(text, '') };
  setReloadSource(source);
  const onSignal = () => {
    let text: string;
    try {
      text = read();
    } catch (error) {
      logger.error(`SIGUSR1: ${(error as Error).message}`);
      return;
    }
    apply(text, 'SIGUSR1: ').catch((error: unknown) => logger.error(`SIGUSR1: ${(error as Error).message}`));
  };
  process.on('SIGUSR1', onSignal);
  return () => {
    process.off('SIGUSR1', onSignal);
    setReloadSource(undefined);
  };
}
