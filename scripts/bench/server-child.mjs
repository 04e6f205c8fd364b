// A server under test, in its own process so its CPU time is measured alone.
// argv[2]: ceiling | whoami | static. Reports { port } when listening, then answers
// 'cpu' messages with process.cpuUsage() so the parent can take deltas around a load run.
import dgram from 'node:dgram';

const kind = process.argv[2];

async function startCeiling() {
  // The reference: answer every query with one precomputed reply, patching only the ID.
  const { encodeMessage, makeQuery } = await import('../../dist/wire/index.js');
  const q = makeQuery('bench.example.', 'A', { id: 0 });
  const reply = Buffer.from(
    encodeMessage({
      ...q,
      flags: { ...q.flags, qr: true, aa: true },
      answers: [{ name: 'bench.example.', type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
    }),
  );
  const socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => {
    if (msg.length < 12) return;
    reply[0] = msg[0];
    reply[1] = msg[1];
    socket.send(reply, rinfo.port, rinfo.address);
  });
  await new Promise((r) => socket.bind(0, '127.0.0.1', r));
  return socket.address().port;
}

async function startDnskit(which) {
  const dnskit = await import('../../dist/index.js');
  const staticAnswer = (ctx) =>
    ctx.reply({
      authoritative: true,
      answers: [{ name: ctx.question.name, type: 'A', class: 'IN', ttl: 60, data: '192.0.2.1' }],
    });
  // The whole chain in place: log and errors sit in front as in a typical Corefile (log quiet).
  const plugins =
    which === 'whoami'
      ? [dnskit.errors(), dnskit.any(), dnskit.whoami()]
      : [dnskit.errors(), { name: 'static', handle: staticAnswer }];
  const server = dnskit.createServer({ port: 0, listen: ['127.0.0.1'], transports: ['udp'], plugins });
  await server.listen();
  return server.addresses()[0].port;
}

const port = kind === 'ceiling' ? await startCeiling() : await startDnskit(kind);
process.send({ port });
process.on('message', (m) => {
  if (m === 'cpu') process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss });
  if (m === 'exit') process.exit(0);
});
