import { parseArgs } from 'node:util';

/** The command line, as CoreDNS's flags spell it. */
export interface CliOptions {
  /** Corefile path; undefined means `./Corefile`, then the embedded default. */
  readonly conf: string | undefined;
  /** Default port for server blocks that name none (CoreDNS's `-dns.port`). */
  readonly port: number | undefined;
  readonly quiet: boolean;
  readonly plugins: boolean;
  readonly version: boolean;
  readonly help: boolean;
  readonly pidfile: string | undefined;
}

/** Thrown for a command line we cannot use; the CLI prints it with the usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const flags = {
  conf: { type: 'string' },
  'dns.port': { type: 'string' },
  quiet: { type: 'boolean' },
  plugins: { type: 'boolean' },
  version: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
  pidfile: { type: 'string' },
} as const;

/** The usage text, in the shape of Go's flag package that CoreDNS uses. */
export const usage = `Usage of dnskit:
  -conf string
    	Corefile to load (default "Corefile")
  -dns.port string
    	Default port (default "53")
  -pidfile string
    	Path to write pid file
  -plugins
    	List installed plugins
  -quiet
    	Quiet mode (no initialization output)
  -version
    	Show version`;

/**
 * Go's flag package (and so CoreDNS) accepts `-flag`, `--flag`, `-flag=value` and `--flag value`;
 * node's parseArgs only knows `--flag`. Rewrite single-dash long flags before parsing.
 */
function normalise(argv: readonly string[]): string[] {
  return argv.map((arg) => (/^-[^-]./.test(arg) && arg.length > 2 ? `-${arg}` : arg));
}

/** Parses CoreDNS-style flags. Throws {@link UsageError} for unknown flags, missing values or a bad port. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values: ReturnType<typeof parseArgs<{ options: typeof flags; strict: true }>>['values'];
  try {
    ({ values } = parseArgs({
      args: normalise(argv),
      options: flags,
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  return {
    conf: values.conf,
    port: values['dns.port'] === undefined ? undefined : parsePort(values['dns.port']),
    quiet: values.quiet ?? false,
    plugins: values.plugins ?? false,
    version: values.version ?? false,
    help: values.help ?? false,
    pidfile: values.pidfile,
  };
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!/^\d+$/.test(text) || port > 65535) throw new UsageError(`invalid port for -dns.port: "${text}"`);
  return port;
}
