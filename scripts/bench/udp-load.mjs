// A bounded UDP load generator: keeps `window` queries outstanding until `count` are answered or
// the time limit passes. Used when dnsperf is not installed.
import dgram from 'node:dgram';

export function udpLoad(port, count, { window = 100, timeLimitMs = 60_000 } = {}) {
  // bench.example. IN A, RD set; the ID is rewritten per query.
  const query = Buffer.concat([
    Buffer.from('000001000001000000000000', 'hex'),
    Buffer.from('\x05bench\x07example\x00', 'latin1'),
    Buffer.from('00010001', 'hex'),
  ]);
  const socket = dgram.createSocket('udp4');
  let sent = 0;
  let answered = 0;
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      socket.close();
      resolve({ answered });
    };
    const timer = setTimeout(finish, timeLimitMs);
    const send = () => {
      query.writeUInt16BE(sent & 0xffff, 0);
      sent++;
      socket.send(query, port, '127.0.0.1');
    };
    socket.on('message', () => {
      answered++;
      if (answered >= count) finish();
      else if (sent < count) send();
    });
    socket.bind(0, '127.0.0.1', () => {
      for (let i = 0; i < window && sent < count; i++) send();
    });
  });
}
