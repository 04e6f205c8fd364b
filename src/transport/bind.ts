import type { ListenAddress } from '../core/types.js';
import type { ErrorReporter, PacketHandler } from './packet-handler.js';
import { TcpListener, type TcpListenerLimits } from './tcp.js';
import { UdpListener } from './udp.js';

/** One address to listen on, with its own packet handler (its blocks' router). */
export interface BindRequest {
  readonly address: string;
  /** 0 picks a free port; every 0-port request of one call then shares the port picked first. */
  readonly port: number;
  readonly handler: PacketHandler;
  /** Skip, rather than fail, when the address family is unavailable (no IPv6 on this host). */
  readonly optional: boolean;
}

/** The sockets of one address: UDP and TCP on the same port number. */
export interface ListenerPair {
  readonly udp: UdpListener | undefined;
  readonly tcp: TcpListener | undefined;
  readonly addresses: readonly ListenAddress[];
}

/** What {@link openListeners} needs besides the requests. */
export interface BindSettings {
  readonly transports: readonly ('udp' | 'tcp')[];
  readonly tcp: TcpListenerLimits;
  readonly report: ErrorReporter;
  /** Told about skipped optional addresses. */
  readonly warn: (message: string) => void;
}

const portRetries = 5;
const unavailable = new Set(['EAFNOSUPPORT', 'EADDRNOTAVAIL', 'EPROTONOSUPPORT']);

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/** Closes everything in the pairs, ignoring errors (used to undo a half-finished bind). */
export async function closePairs(pairs: readonly ListenerPair[]): Promise<void> {
  await Promise.all(pairs.flatMap((pair) => [pair.udp?.close(), pair.tcp?.close()]));
}

async function openPair(request: BindRequest, port: number, settings: BindSettings): Promise<ListenerPair> {
  const { address, handler } = request;
  // UDP first: with port 0 the kernel picks a port, and TCP then takes the same number.
  const udp = settings.transports.includes('udp')
    ? await UdpListener.open(address, port, handler, settings.report)
    : undefined;
  let tcp: TcpListener | undefined;
  try {
    const tcpPort = udp?.local.port ?? port;
    if (settings.transports.includes('tcp')) {
      tcp = await TcpListener.open(address, tcpPort, handler, settings.tcp, settings.report);
    }
  } catch (error) {
    await udp?.close();
    throw error;
  }
  const addresses: ListenAddress[] = [];
  if (udp !== undefined)
    addresses.push({ address: udp.local.address, port: udp.local.port, transport: 'udp' });
  if (tcp !== undefined)
    addresses.push({ address: tcp.local.address, port: tcp.local.port, transport: 'tcp' });
  return { udp, tcp, addresses };
}

async function openAll(requests: readonly BindRequest[], settings: BindSettings): Promise<ListenerPair[]> {
  const pairs: ListenerPair[] = [];
  let pickedPort: number | undefined;
  try {
    for (const request of requests) {
      const port = request.port === 0 ? (pickedPort ?? 0) : request.port;
      let pair: ListenerPair;
      try {
        pair = await openPair(request, port, settings);
      } catch (error) {
        if (!request.optional || !unavailable.has(errorCode(error) ?? '')) throw error;
        settings.warn(`not listening on ${request.address}: ${(error as Error).message}`);
        continue;
      }
      if (request.port === 0) pickedPort ??= pair.addresses[0]?.port;
      pairs.push(pair);
    }
    return pairs;
  } catch (error) {
    await closePairs(pairs);
    throw error;
  }
}

/**
 * Opens UDP and TCP listeners for every request. When a free port picked for one address turns
 * out to be taken on another address or transport, starts over with a new pick.
 */
export async function openListeners(
  requests: readonly BindRequest[],
  settings: BindSettings,
): Promise<ListenerPair[]> {
  const picksPort = requests.some((r) => r.port === 0);
  for (let attempt = 1; ; attempt++) {
    try {
      return await openAll(requests, settings);
    } catch (error) {
      if (!picksPort || attempt >= portRetries || errorCode(error) !== 'EADDRINUSE') throw error;
    }
  }
}
