import type { Registry } from 'prom-client';
import type { ServerBlock } from './blocks.js';
import type { DnsServerHandle, Logger, Plugin } from './types.js';

/** Starts and stops the plugins of every block, in chain order (stopping in reverse). */
export class PluginLifecycle {
  private started: { plugin: Plugin; block: ServerBlock }[] = [];
  private starting: Promise<void> | undefined = undefined;

  constructor(
    private readonly blocks: readonly ServerBlock[],
    private readonly logger: Logger,
    private readonly server: DnsServerHandle,
    private readonly metrics: Registry,
  ) {}

  /** Starts every plugin once; later calls wait for the first. A failure stops those already started. */
  start(): Promise<void> {
    this.starting ??= this.startAll();
    return this.starting;
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

  private async startAll(): Promise<void> {
    try {
      for (const block of this.blocks) {
        const env = {
          logger: this.logger,
          zones: block.zones,
          chain: block.plugins,
          server: this.server,
          metrics: this.metrics,
        };
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
