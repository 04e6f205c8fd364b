/**
 * Micro-benchmark of the codec's hot path: decoding a typical query and encoding a typical
 * one-answer response. Run with `node --import tsx src/wire/wire.bench.ts`.
 */
import { Bench } from 'tinybench';
import { decodeMessage, encodeMessage, makeQuery } from './index.js';
import type { DnsMessage } from './types.js';

const query = makeQuery('www.example.org.', 'A', { id: 4242, edns: { udpPayloadSize: 1232 } });
const queryBytes = encodeMessage(query);
const response: DnsMessage = {
  ...query,
  flags: { ...query.flags, qr: true, aa: true },
  answers: [{ name: 'www.example.org.', type: 'A', class: 'IN', ttl: 300, data: '192.0.2.1' }],
};
const responseBytes = encodeMessage(response);

const bench = new Bench({ time: 1000, warmupTime: 200 });
bench
  .add('decode query (A, EDNS)', () => {
    decodeMessage(queryBytes);
  })
  .add('encode response (1 A answer, EDNS)', () => {
    encodeMessage(response);
  })
  .add('encode response with maxSize 512', () => {
    encodeMessage(response, { maxSize: 512 });
  })
  .add('decode response (1 A answer, EDNS)', () => {
    decodeMessage(responseBytes);
  });
bench.runSync();
console.table(bench.table());
