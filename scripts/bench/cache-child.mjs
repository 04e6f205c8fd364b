// A process under test for the cache and forward benchmarks. argv[2]:
//   ceiling        - one precomputed reply, ID patched (the reference of scripts/bench.mjs)
//   echo-upstream  - a static upstream: echoes the question, answers one A record
//   static         - errors and the static answer (scripts/bench.mjs's `static`, for comparison)
//   cache-hit      - errors, cache, and a static answer behind it (every load query is a hit)
//   forward-miss   - errors, cache, forward to the upstream on port argv[3] (every query a miss)
//   forward-only   - errors, forward to the upstream on port argv[3]
// Reports { port } when listening, then answers 'cpu' with process.cpuUsage() and 'exit'.
import dgram from 'node:dgram';
import { startCeiling } from './ceiling.mjs';

const [kind, upstreamPort] = process.argv.slice(2);

async function bindUdp(onMessage) {
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => onMessage(socket, msg, rinfo));
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket.address().port;
}

// Header (QR RD RA, one question, one answer), the query's question, then an A record whose
// owner is a pointer to the question name (offset 12).
const ANSWER = Buffer.from('c00c000100010000003c0004c0000201', 'hex');
function startEchoUpstream() {
  return bindUdp((socket, msg, rinfo) => {
    if (msg.length < 17) return;
    let end = 12;
    while (end < msg.length && msg[end] !== 0) end += msg[end] + 1;
    end += 5; // root label, QTYPE, QCLASS
    const reply = Buffer.concat([msg.subarray(0, end), ANSWER]);
    reply[2] = 0x81;
    reply[3] = 0x80;
    reply.writeUInt16BE(1, 4);
    reply.writeUInt16BE(1, 6);
    reply.writeUInt16BE(0, 8);
    reply.writeUInt16BE(0, 10);
    socket.send(reply, rinfo.port, rinfo.address);
  });
}

async function startDnskit(which) {
  const dnskit = await import('../../dist/index.js');
  const staticAnswer = {
    name: 'static',
    handle: (ctx) =>
      ctx.reply({
        authoritative: true,
        answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 3600, data: '192.0.2.1' }],
      }),
  };
  const upstream = () => dnskit.forward({ to: [`127.0.0.1:${upstreamPort}`] });
  const chains = {
    static: () => [dnskit.errors(), staticAnswer],
    'cache-hit': () => [dnskit.errors(), dnskit.cache(), staticAnswer],
    'forward-miss': () => [dnskit.errors(), dnskit.cache(), upstream()],
    'forward-only': () => [dnskit.errors(), upstream()],
  };
  const server = dnskit.createServer({
    port: 0,
    listen: ['127.0.0.1'],
    transports: ['udp'],
    plugins: chains[which](),
  });
  await server.listen();
  return server.addresses()[0].port;
}

const starters = { ceiling: startCeiling, 'echo-upstream': startEchoUpstream };
const port = await (starters[kind] ?? (() => startDnskit(kind)))();
process.send({ port });
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (m === 'exit') process.exit(0);
});
// Never outlive the parent.
process.on('disconnect', () => process.exit(0));
