import type { DnsContext, Logger, Next, Plugin, PluginEnv } from '../../core/types.js';
import { isSubdomain } from '../../wire/index.js';
import { type ProbeTarget, probeName, probeTarget, sendProbe } from './probe.js';

/** What the loop plugin found: enough to say where the loop is. */
export interface LoopDetected {
  /** CoreDNS's message: `Loop (PEER -> ADDRESS) detected for zone "ZONE", see ... Query: "HINFO NAME"`. */
  readonly message: string;
  readonly zone: string;
  /** The probe name. */
  readonly name: string;
  /** The peer the probe came back from the third time, `address:port`. */
  readonly from: string;
  /** The address the probe was sent to, as CoreDNS prints it (`:53`). */
  readonly to: string;
}

/** Options of {@link loop}. */
export interface LoopOptions {
  /** The zone the probe name lives in; default `.` (from a Corefile: the block's first zone). */
  readonly zone?: string;
  /**
   * What to do on a loop. Default: CoreDNS's behaviour, which is log `[FATAL] plugin/loop: ...` to
   * stderr and exit the process with status 1. When the handler returns, the probe is answered
   * SERVFAIL from then on so that the loop stops going round.
   */
  readonly onLoop?: (loop: LoopDetected) => void;
  /** Pause between failed probes; default 1000 ms (CoreDNS). */
  readonly retryMs?: number;
  /** Give up probing after this long; default 30 000 ms (CoreDNS). */
  readonly deadlineMs?: number;
  /** How long one probe waits for its answer; default 2000 ms (Go's `dns.Exchange`). */
  readonly probeTimeoutMs?: number;
}

/** CoreDNS's reaction: a fatal log line and exit status 1. */
function exitOnLoop(loop: LoopDetected): void {
  process.stderr.write(`[FATAL] plugin/loop: ${loop.message}\n`);
  process.exit(1);
}

const troubleshooting = 'https://coredns.io/plugins/loop#troubleshooting';

function hostPort(address: string, port: number): string {
  return address.includes(':') ? `[${address}]:${port}` : `${address}:${port}`;
}

/**
 * Forwarding loop detection, as CoreDNS's *loop*: once the server listens, sends a HINFO query for
 * a random name `<n>.<n>.<zone>` to its own address. If that query comes through the chain more
 * than twice, something (a `forward` to ourselves, a resolver that forwards back) makes a loop:
 * the plugin reports it, by default fatally. Probing stops after the first answered probe (or
 * after 30 s), and the plugin then stays out of the way.
 */
export function loop(options: LoopOptions = {}): Plugin {
  const zone = options.zone ?? '.';
  const onLoop = options.onLoop ?? exitOnLoop;
  const name = probeName(zone);
  let seen = 0;
  let disabled = false;
  let detected = false;
  let target: ProbeTarget | undefined;
  let stopped = false;
  let logger: Logger | undefined;

  const report = (ctx: DnsContext) => {
    detected = true;
    const from = hostPort(ctx.peer.address, ctx.peer.port);
    const to = target?.label ?? '';
    const message = `Loop (${from} -> ${to}) detected for zone "${zone}", see ${troubleshooting}. Query: "HINFO ${name}"`;
    onLoop({ message, zone, name, from, to });
  };

  const probe = async (addressTarget: ProbeTarget) => {
    const deadline = performance.now() + (options.deadlineMs ?? 30_000);
    while (!stopped && !detected && performance.now() < deadline) {
      target = addressTarget;
      if (await sendProbe(addressTarget, name, options.probeTimeoutMs ?? 2000)) break;
      seen = 0; // an unanswered probe may have been counted; start again
      await new Promise((resolve) => setTimeout(resolve, options.retryMs ?? 1000).unref());
    }
    disabled = true;
  };

  return {
    name: 'loop',
    handle(ctx: DnsContext, next: Next) {
      if (ctx.question.type !== 'HINFO' || ctx.question.name !== name) return next();
      if (detected) {
        ctx.fail('SERVFAIL', 'loop detected');
        return;
      }
      if (disabled || !(zone === '.' || isSubdomain(name, zone))) return next();
      seen++;
      if (seen > 2) {
        report(ctx);
        if (detected) ctx.fail('SERVFAIL', 'loop detected');
        return;
      }
      return next();
    },
    start(env: PluginEnv) {
      logger = env.logger;
      void env.listening.then((addresses) => {
        const found = probeTarget(addresses);
        if (found === undefined) {
          logger?.warn('plugin/loop: no UDP listener to probe');
          disabled = true;
          return;
        }
        if (!stopped) void probe(found);
      });
    },
    stop() {
      stopped = true;
    },
  };
}
