// The reference every benchmark compares with: a Node UDP server that answers every query with
// one precomputed reply, patching only the ID. Nothing in JavaScript on Node answers for less.
import dgram from 'node:dgram';

/** Starts the ceiling server on 127.0.0.1 and resolves with its port. */
export async function startCeiling() {
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
  await new Promise((resolve) => socket.bind(0, '127.0.0.1', resolve));
  return socket.address().port;
}
