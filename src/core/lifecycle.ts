import type { Registry } from 'prom-client';
import type { ServerBlock } from './blocks.js';
import type { DnsServerHandle, ListenAddress, Logger, Plugin, PluginEnv } from './types.js';

/** A promise with its resolver, for the blocks' `listening` promises. */
interface Deferred<T> {
  readonly promise: Promise<T>;
  readonly resolve: (value: T) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve: (value: T) => void = () => undefined;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

/**
 * Starts and stops the plugins of every block, in chain order (stopping in reverse). One instance
 * per configuration: a reload builds a new one, starts it, and stops the old one after the swap.
 */
export class PluginLifecycle {
  private started: { plugin: Plugin; block: ServerBlock }[] = [];
  private starting: Promise<void> | undefined = undefined;
  private readonly listening = new Map<ServerBlock, Deferred<readonly ListenAddress[]>>();

  constructor(
    private readonly blocks: readonly ServerBlock[],
    private readonly logger: Logger,
    private readonly server: DnsServerHandle,
    private readonly metrics: Registry,
  ) {
    for (const block of blocks) this.listening.set(block, deferred());
  }

  /** Starts every plugin once; later calls wait for the first. A failure stops those already started. */
  start(): Promise<void> {
    this.starting ??= this.startAll();
    return this.starting;
  }

  /** Tells each block's plugins where the block listens (resolves `env.listening`). */
  markListening(addressesOf: (block: ServerBlock) => readonly ListenAddress[]): void {
    for (const [block, wait] of this.listening) wait.resolve(addressesOf(block));
  }

  /** Runs the started plugins' `shutdown` hooks in chain order (the server still answers meanwhile). */
  async shutdown(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    for (const { plugin } of this.started) {
      try {
        await plugin.shutdown?.();
      } catch (error) {
        this.logger.error(`plugin/${plugin.name}: shutdown failed: ${(error as Error).message}`);
      }
    }
  }

  /** Stops the started plugins; errors are logged, not thrown, so every plugin gets its stop. */
  async stop(): Promise<void> {
    if (this.starting !== undefined) await this.starting.catch(() => undefined);
    this.starting = undefined;
    await this.stopStarted();
  }

  private async stopStarted(): Promise<void> {
    const started = this.started.reverse();
    this.started = [];
    for (const { plugin } of started) {
      try {
        await plugin.stop?.();
      } catch (error) {
        this.logger.error(`plugin/${plugin.name}: stop failed: ${(error as Error).message}`);
      }
    }
  }

  /** True when every plugin that reports readiness is ready. */
  ready(): boolean {
    return this.blocks.every((block) => block.plugins.every((plugin) => plugin.ready?.() ?? true));
  }

  private envOf(block: ServerBlock): PluginEnv {
    return {
      logger: this.logger,
      zones: block.zones,
      chain: block.plugins,
      server: this.server,
      metrics: this.metrics,
      listening: (this.listening.get(block) as Deferred<readonly ListenAddress[]>).promise,
    };
  }

  private async startAll(): Promise<void> {
    try {
      for (const block of this.blocks) {
        const env = this.envOf(block);
        for (const plugin of block.plugins) {
          // Record before awaiting so that a plugin failing half-way still gets its stop().
          this.started.push({ plugin, block });
          await plugin.start?.(env);
        }
      }
    } catch (error) {
      await this.stopStarted();
      this.starting = undefined; // a later listen() may try again
      throw error;
    }
  }
}
