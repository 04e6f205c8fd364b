#!/usr/bin/env node
// How long forward takes to get past a dead upstream, in process on loopback (after `npm run build`):
//   refused - the first upstream's port is closed (ICMP port unreachable): immediate failover
//   silent  - the first upstream drops every packet: the first query waits the 2 s read timeout,
//             health checks (1 s timeout, every 0.5 s) mark it down, later queries skip it
// Bounded: about 10 s in all. Prints one line per figure.
import dgram from 'node:dgram';

const { createServer, forward, makeQuery, encodeMessage, decodeMessage } = await import(
  '../../dist/index.js'
).then(async (dnskit) => ({ ...dnskit, ...(await import('../../dist/wire/index.js')) }));

async function udpServer(answer) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (bytes, from) => {
    const query = decodeMessage(new Uint8Array(bytes));
    const reply = answer(query);
    if (reply !== undefined) socket.send(encodeMessage(reply), from.port, from.address);
  });
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return { socket, address: `127.0.0.1:${socket.address().port}` };
}

const good = await udpServer((query) => ({
  ...query,
  flags: { ...query.flags, qr: true, ra: true },
  answers: [{ name: query.questions[0].name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.2' }],
}));
const silent = await udpServer(() => undefined);
const refused = await udpServer(() => undefined);
const refusedAddress = refused.address;
await new Promise((resolve) => refused.socket.close(resolve));

async function timeQuery(server, name) {
  const t0 = performance.now();
  const response = await server.exchange(makeQuery(name), { peer: { transport: 'udp' } });
  return { ms: performance.now() - t0, answer: response.answers[0]?.data, rcode: response.rcode };
}

async function scenario(label, first) {
  const server = createServer({ plugins: [forward({ to: [first, good.address], policy: 'sequential' })] });
  const firstQuery = await timeQuery(server, `first.${label}.example.`);
  console.log(
    `${label.padEnd(8)} first query fails over in ${firstQuery.ms.toFixed(1)} ms (${firstQuery.answer})`,
  );
  const t0 = performance.now();
  let marked = 0;
  // Until a query no longer waits on the dead upstream: it has been marked down.
  for (let i = 0; i < 40; i++) {
    const { ms } = await timeQuery(server, `q${i}.${label}.example.`);
    if (ms < 50) {
      marked = performance.now() - t0 + firstQuery.ms;
      break;
    }
  }
  const later = [];
  for (let i = 0; i < 50; i++) later.push((await timeQuery(server, `later${i}.${label}.example.`)).ms);
  later.sort((a, b) => a - b);
  console.log(
    `${label.padEnd(8)} queries fast again after ${marked.toFixed(0)} ms; then median ${later[25].toFixed(2)} ms per query`,
  );
  await server.close();
}

await scenario('refused', refusedAddress);
await scenario('silent', silent.address);
good.socket.close();
silent.socket.close();
