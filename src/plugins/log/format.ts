import type { DnsContext } from '../../core/types.js';
import { formatSeconds } from '../../plugin-kit/duration.js';
import { opcodeToNumber } from '../../wire/codes.js';
import type { DnsMessage, HeaderFlags } from '../../wire/types.js';

/** CoreDNS's Common Log Format, the default. */
export const COMMON_LOG_FORMAT =
  '{remote}:{port} - {>id} "{type} {class} {name} {proto} {size} {>do} {>bufsize}" {rcode} {>rflags} {rsize} {duration}';

/** The Common Log Format plus the query opcode. */
export const COMBINED_LOG_FORMAT = `${COMMON_LOG_FORMAT} "{>opcode}"`;

/** What one log line is made of: the query, its response and the numbers measured when it was sent. */
export interface LogFacts {
  readonly ctx: DnsContext;
  readonly response: DnsMessage;
  /** The response's size on the wire, in bytes. */
  readonly wireSize: number;
  readonly durationMs: number;
}

type Render = (facts: LogFacts) => string;

/** Placeholder CoreDNS writes for values it does not have. */
const EMPTY = '-';

/** IPv6 addresses get brackets, as in a URI (RFC 3986 3.2.2). */
function bracketed(address: string): string {
  return address.includes(':') ? `[${address}]` : address;
}

function proto({ ctx }: LogFacts): string {
  return ctx.peer.transport === 'tcp' ? 'tcp' : 'udp';
}

function requestSize({ ctx }: LogFacts): string {
  return String(ctx.requestSize);
}

/** The buffer size CoreDNS reports: 65535 over TCP, else the EDNS size (at least 512). */
function bufsize({ ctx }: LogFacts): string {
  if (ctx.peer.transport === 'tcp') return '65535';
  return String(ctx.edns?.maxUdpSize ?? 512);
}

/** Named rcodes as names; unnamed ones (`RCODE42`) as their number, as CoreDNS prints them. */
function rcode({ response }: LogFacts): string {
  return /^RCODE(\d+)$/.exec(response.rcode)?.[1] ?? response.rcode;
}

function opcode({ ctx }: LogFacts): string {
  try {
    return String(opcodeToNumber(ctx.request.opcode));
  } catch {
    return EMPTY;
  }
}

const FLAG_ORDER: readonly (keyof HeaderFlags)[] = ['qr', 'aa', 'tc', 'rd', 'ra', 'z', 'ad', 'cd'];

function rflags({ response }: LogFacts): string {
  return FLAG_ORDER.filter((flag) => response.flags[flag]).join(',');
}

const LABELS: Readonly<Record<string, Render>> = {
  '{type}': ({ ctx }) => ctx.question.type,
  '{name}': ({ ctx }) => ctx.question.name,
  '{class}': ({ ctx }) => ctx.question.class,
  '{proto}': proto,
  '{size}': requestSize,
  '{remote}': ({ ctx }) => bracketed(ctx.peer.address),
  '{port}': ({ ctx }) => String(ctx.peer.port),
  '{local}': ({ ctx }) => bracketed(ctx.local.address),
  '{>id}': ({ ctx }) => String(ctx.request.id),
  '{>opcode}': opcode,
  '{>do}': ({ ctx }) => String(ctx.edns?.do ?? false),
  '{>bufsize}': bufsize,
  '{rcode}': rcode,
  '{rsize}': ({ wireSize }) => String(wireSize),
  '{duration}': ({ durationMs }) => formatSeconds(durationMs),
  '{>rflags}': rflags,
};

/**
 * Compiles a format once into renderers. Like CoreDNS, it looks for each `}` and the last `{`
 * before it, so `{ {name} }` works; unknown `{...}` stays literal, and `{/label}` (metadata, which
 * dnskit does not have) prints `-`.
 */
export function compileFormat(format: string): (facts: LogFacts) => string {
  const parts: Render[] = [];
  let literal = '';
  let rest = format;
  for (let close = rest.indexOf('}'); close >= 0; close = rest.indexOf('}')) {
    const open = rest.lastIndexOf('{', close);
    const label = open < 0 ? '' : rest.slice(open, close + 1);
    const render = LABELS[label] ?? (label.startsWith('{/') ? () => EMPTY : undefined);
    if (render === undefined) {
      literal += rest.slice(0, close + 1);
    } else {
      const text = literal + rest.slice(0, open);
      if (text !== '') parts.push(() => text);
      parts.push(render);
      literal = '';
    }
    rest = rest.slice(close + 1);
  }
  const tail = literal + rest;
  if (tail !== '') parts.push(() => tail);
  return (facts) => parts.map((part) => part(facts)).join('');
}
