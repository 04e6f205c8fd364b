/** A whole message as text, in the layout of dig's output. */
import { EDNS_OPTION } from './edns.js';
import { formatRecord, toHex } from './present.js';
import type { DnsMessage, Edns, EdnsOption, HeaderFlags, ResourceRecord } from './types.js';

const FLAG_ORDER: ReadonlyArray<keyof HeaderFlags> = ['qr', 'aa', 'tc', 'rd', 'ra', 'z', 'ad', 'cd'];

function printableAscii(bytes: Uint8Array): string | undefined {
  for (const b of bytes) if (b < 0x20 || b > 0x7e) return undefined;
  return String.fromCharCode(...bytes);
}

function formatOption(option: EdnsOption): string {
  switch (option.code) {
    case EDNS_OPTION.NSID: {
      const text = printableAscii(option.data);
      return `; NSID: ${toHex(option.data)}${text === undefined ? '' : ` ("${text}")`}`;
    }
    case EDNS_OPTION.COOKIE:
      return `; COOKIE: ${toHex(option.data)}`;
    case EDNS_OPTION.PADDING:
      return `; PADDING: ${option.data.length} bytes`;
    default:
      return `; OPT=${option.code}: ${toHex(option.data)}`;
  }
}

function formatEdns(edns: Edns): string[] {
  const flags = edns.do ? 'do' : '';
  const lines = [
    ';; OPT PSEUDOSECTION:',
    `; EDNS: version: ${edns.version}, flags: ${flags}; udp: ${edns.udpPayloadSize}`,
  ];
  if (edns.flags) lines.push(`; MBZ: 0x${edns.flags.toString(16).padStart(4, '0')}`);
  for (const option of edns.options) lines.push(formatOption(option));
  return lines;
}

function formatSection(title: string, records: readonly ResourceRecord[]): string[] {
  return records.length === 0 ? [] : ['', `;; ${title} SECTION:`, ...records.map(formatRecord)];
}

/**
 * The message as dig prints it: header line (opcode, status, id), flags and counts, the OPT
 * pseudosection, then the non-empty sections. ADDITIONAL counts the OPT record, as on the wire.
 */
export function formatMessage(message: DnsMessage): string {
  const flags = FLAG_ORDER.filter((flag) => message.flags[flag]).join(' ');
  const additional = message.additionals.length + (message.edns === undefined ? 0 : 1);
  const lines = [
    `;; ->>HEADER<<- opcode: ${message.opcode}, status: ${message.rcode}, id: ${message.id}`,
    `;; flags: ${flags}; QUERY: ${message.questions.length}, ANSWER: ${message.answers.length}, ` +
      `AUTHORITY: ${message.authorities.length}, ADDITIONAL: ${additional}`,
  ];
  if (message.edns !== undefined) lines.push('', ...formatEdns(message.edns));
  if (message.questions.length > 0) {
    lines.push('', ';; QUESTION SECTION:');
    for (const q of message.questions) lines.push(`;${q.name}\t\t${q.class}\t${q.type}`);
  }
  lines.push(...formatSection('ANSWER', message.answers));
  lines.push(...formatSection('AUTHORITY', message.authorities));
  lines.push(...formatSection('ADDITIONAL', message.additionals));
  return `${lines.join('\n')}\n`;
}
