import { createSocket } from 'node:dgram';
import { connect, isIPv6 } from 'node:net';
import type { DnsServer } from '../../core/types.js';
import { createFrameReader, decodeMessage, encodeMessage, frameMessage } from '../../wire/index.js';
import type { DnsMessage } from '../../wire/types.js';
import type { ResolverExchange } from './types.js';

/**
 * Queries a dnskit server in process with `server.exchange`, as if from `clientAddress` (the
 * pod's IP: what `autopath` and the `kubernetes` plugin's `pods verified` look at). Every
 * nameserver of the resolv.conf reaches the same server.
 */
export function serverExchange(server: DnsServer, clientAddress = '10.244.0.2'): ResolverExchange {
  const family = isIPv6(clientAddress) ? 'IPv6' : 'IPv4';
  return (query) => server.exchange(query, { peer: { address: clientAddress, family, transport: 'udp' } });
}

/** Options of {@link socketExchange}. */
export interface SocketExchangeOptions {
  /** Port of every nameserver; default 53. */
  readonly port?: number;
  /** Always use TCP (glibc's `use-vc`); default UDP, retried over TCP when truncated (TC). */
  readonly tcp?: boolean;
}

function aborted(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('aborted');
}

function overUdp(bytes: Uint8Array, address: string, port: number, signal: AbortSignal): Promise<DnsMessage> {
  const socket = createSocket(isIPv6(address) ? 'udp6' : 'udp4');
  const id = ((bytes[0] ?? 0) << 8) | (bytes[1] ?? 0);
  return new Promise<DnsMessage>((resolve, reject) => {
    const finish = (error: Error | undefined, message?: DnsMessage): void => {
      signal.removeEventListener('abort', onAbort);
      socket.close();
      if (message !== undefined) resolve(message);
      else reject(error);
    };
    const onAbort = (): void => finish(aborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (error) => finish(error));
    socket.on('message', (packet) => {
      // Ignore replies to other queries, as both libcs do (the ID must match).
      if (packet.length < 12 || packet.readUInt16BE(0) !== id) return;
      try {
        finish(undefined, decodeMessage(new Uint8Array(packet)));
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.send(bytes, port, address);
  });
}

function overTcp(bytes: Uint8Array, address: string, port: number, signal: AbortSignal): Promise<DnsMessage> {
  const socket = connect({ host: address, port });
  return new Promise<DnsMessage>((resolve, reject) => {
    const finish = (error: Error | undefined, message?: DnsMessage): void => {
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      if (message !== undefined) resolve(message);
      else reject(error);
    };
    const onAbort = (): void => finish(aborted(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    const reader = createFrameReader((frame) => {
      try {
        finish(undefined, decodeMessage(frame));
      } catch (error) {
        finish(error instanceof Error ? error : new Error(String(error)));
      }
    });
    socket.on('data', (chunk) => reader.push(new Uint8Array(chunk)));
    socket.on('error', (error) => finish(error));
    socket.on('close', () => finish(new Error('connection closed without a response')));
    socket.write(frameMessage(bytes));
  });
}

/**
 * Queries real nameservers (the resolv.conf addresses) over UDP, retrying over TCP when the
 * answer is truncated, as both libcs do; or over TCP only with `tcp: true`.
 *
 * @example
 * ```ts
 * const resolver = podResolver({ exchange: socketExchange({ port }), resolvConf: 'nameserver 127.0.0.1' });
 * ```
 */
export function socketExchange(options: SocketExchangeOptions = {}): ResolverExchange {
  const port = options.port ?? 53;
  return async (query, { nameserver, signal }) => {
    const bytes = encodeMessage(query);
    if (options.tcp === true) return overTcp(bytes, nameserver, port, signal);
    const response = await overUdp(bytes, nameserver, port, signal);
    return response.flags.tc ? overTcp(bytes, nameserver, port, signal) : response;
  };
}
