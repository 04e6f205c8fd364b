import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { arch, platform } from 'node:os';
import { createLogger } from '../core/logger.js';
import { createServer } from '../core/server.js';
import type { DnsServer } from '../core/types.js';
import { builtinPlugins } from '../plugins/index.js';
import { type CliOptions, parseCliArgs, UsageError, usage } from './args.js';
import { defaultCorefile } from './default-corefile.js';
import { buildBlocks, type CorefileInput, watchCorefile } from './reloader.js';
import { packageVersion } from './version.js';

/** Where the configuration came from: a file, or the embedded default. */
interface ConfigSource {
  readonly file: string;
  readonly text: string;
  /** False for the embedded default Corefile. */
  readonly onDisk: boolean;
}

function versionText(): string {
  return `dnskit-${packageVersion()}\n${platform()}/${arch()}, node ${process.version}`;
}

function pluginList(): string {
  const names = builtinPlugins.map((d) => `  dns.${d.name}`).sort();
  return `Server types:\n  dns\n\nOther plugins:\n${names.join('\n')}`;
}

/** `-conf` if given (it must exist), else `./Corefile` if present, else the embedded default. */
function readConfig(options: CliOptions): ConfigSource {
  if (options.conf !== undefined) {
    try {
      return { file: options.conf, text: readFileSync(options.conf, 'utf8'), onDisk: true };
    } catch (error) {
      throw new Error(`Error: unable to read Corefile ${options.conf}: ${(error as Error).message}`);
    }
  }
  if (existsSync('Corefile'))
    return { file: 'Corefile', text: readFileSync('Corefile', 'utf8'), onDisk: true };
  // With -dns.port 0 (any free port), the demo's HTTP endpoints take free ports too.
  const fixed = options.port !== 0;
  const httpPorts = fixed
    ? { health: 8080, ready: 8181, metrics: 9153 }
    : { health: 0, ready: 0, metrics: 0 };
  return { file: 'Corefile', text: defaultCorefile(httpPorts), onDisk: false };
}

/** Builds and starts the servers a Corefile describes; the `reload` plugin and SIGUSR1 reload it. */
export async function startFromCorefile(source: ConfigSource, options: CliOptions): Promise<DnsServer> {
  const logger = createLogger({ quiet: false });
  const input: CorefileInput = { ...source, defaultPort: options.port };
  const server = createServer({ blocks: buildBlocks(input, source.text), logger });
  const unwatch = watchCorefile(input, () => server, logger);
  try {
    await server.listen();
  } catch (error) {
    unwatch();
    throw error;
  }
  return server;
}

function banner(server: DnsServer): string {
  const ports = [...new Set(server.addresses().map((a) => a.port))];
  return `${ports.map((p) => `.:${p}`).join('\n')}\n${versionText()}`;
}

/** Resolves when a signal asks us to stop; the server finishes in-flight queries first. */
function waitForStop(server: DnsServer, pidfile: string | undefined): Promise<number> {
  return new Promise((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      process.stderr.write(`[INFO] ${signal}: shutting down\n`);
      server.close().then(
        () => resolve(0),
        () => resolve(1),
      );
      if (pidfile !== undefined) rmSync(pidfile, { force: true });
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Runs the CLI with CoreDNS's flags. Returns the exit code: 0 after a clean stop or an
 * informational flag, 1 on a bad configuration, 2 on a bad command line.
 */
export async function runCli(argv: readonly string[]): Promise<number> {
  let options: CliOptions;
  try {
    options = parseCliArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${usage}\n`);
    return 2;
  }
  if (options.help) return print(usage, 0);
  if (options.version) return print(versionText(), 0);
  if (options.plugins) return print(pluginList(), 0);
  let server: DnsServer;
  try {
    server = await startFromCorefile(readConfig(options), options);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  if (options.pidfile !== undefined) writeFileSync(options.pidfile, `${process.pid}\n`);
  if (!options.quiet) process.stdout.write(`${banner(server)}\n`);
  return waitForStop(server, options.pidfile);
}

function print(text: string, code: number): number {
  process.stdout.write(`${text}\n`);
  return code;
}
