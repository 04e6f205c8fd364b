import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DnsServer, Middleware } from '../src/core/index.js';
import { createServer } from '../src/core/index.js';
import { silentLogger } from '../src/core/logger.js';
import { decodeMessage, encodeMessage, makeQuery } from '../src/wire/index.js';
import { TcpClient, udpBurst, udpQuery } from './helpers/sockets.js';

const answer: Middleware = async (ctx) => {
  if (ctx.question.name.startsWith('slow.')) await new Promise((resolve) => setTimeout(resolve, 150));
  ctx.reply({ answers: [{ name: ctx.rawName, type: 'A', class: 'IN', ttl: 30, data: '192.0.2.1' }] });
};

/** A 12-byte header: flags word as on the wire (0x0100 = RD). */
function header(id: number, flags: number, qd: number, an = 0, ns = 0, ar = 0): number[] {
  return [id >> 8, id & 0xff, flags >> 8, flags & 0xff, 0, qd, 0, an, 0, ns, 0, ar];
}
/** `a.example.` IN A in wire form. */
const question = [1, 0x61, 7, ...Buffer.from('example'), 0, 0, 1, 0, 1];
/** An OPT pseudo-record: owner, type 41, payload size 1232, TTL (ext rcode, version, flags), RDATA. */
function opt(owner: number[], rdata: number[] = [], version = 0): number[] {
  return [...owner, 0, 41, 0x04, 0xd0, 0, version, 0, 0, rdata.length >> 8, rdata.length & 0xff, ...rdata];
}

function bytes(...parts: number[][]): Uint8Array {
  return Uint8Array.from(parts.flat());
}

const crafted: Record<string, Uint8Array> = {
  'a compression pointer to itself': bytes(header(1, 0x0100, 1), [0xc0, 12, 0, 1, 0, 1]),
  'a forward compression pointer': bytes(header(2, 0x0100, 1), [0xc0, 40, 0, 1, 0, 1], new Array(40).fill(0)),
  'a label running past the end': bytes(header(3, 0x0100, 1), [40, 0x61, 0x62]),
  'an OPT in the answer section': bytes(header(4, 0x0100, 1, 1), question, opt([0])),
  'two OPT records': bytes(header(5, 0x0100, 1, 0, 0, 2), question, opt([0]), opt([0])),
  'an OPT not owned by the root': bytes(header(6, 0x0100, 1, 0, 0, 1), question, opt([1, 0x61, 0])),
  'an OPT option longer than its RDATA': bytes(
    header(7, 0x0100, 1, 0, 0, 1),
    question,
    opt([0], [0, 10, 0, 40, 1, 2]),
  ),
  'counts that promise 50 answers': bytes(header(8, 0x0100, 1, 50), question),
  'counts that promise 255 additionals': bytes(header(9, 0x0100, 1, 0, 0, 0xff), question),
  'no question at all': bytes(header(10, 0x0100, 0)),
  'two questions': bytes(header(11, 0x0100, 2), question, question),
};

describe('hostile input over UDP', () => {
  let server: DnsServer;
  let port: number;
  const errors: Error[] = [];
  before(async () => {
    server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      logger: silentLogger,
      plugins: [{ name: 'a', handle: answer }],
    });
    server.on('error', (error) => errors.push(error));
    await server.listen();
    port = server.addresses()[0]?.port ?? 0;
  });
  after(() => server.close());

  async function stillAnswers(): Promise<void> {
    const reply = await udpQuery(port, encodeMessage(makeQuery('ok.example.', 'A', { id: 4321 })));
    assert.ok(reply !== undefined, 'no answer to a normal query');
    const message = decodeMessage(reply);
    assert.equal(message.id, 4321);
    assert.equal(message.answers.length, 1);
  }

  for (const [what, packet] of Object.entries(crafted)) {
    it(`answers FORMERR, same ID, to ${what}`, async () => {
      const reply = await udpQuery(port, packet);
      assert.ok(reply !== undefined, 'no reply');
      const message = decodeMessage(reply);
      assert.equal(message.rcode, 'FORMERR');
      assert.equal(message.id, (packet[0] as number) * 256 + (packet[1] as number));
      assert.equal(message.flags.qr, true);
      assert.equal(message.flags.rd, true);
      await stillAnswers();
    });
  }

  it('drops truncated headers and responses (QR set) without a word', async () => {
    const packets: Uint8Array[] = [];
    for (let length = 0; length < 12; length++)
      packets.push(bytes(header(100 + length, 0x0100, 1)).slice(0, length));
    packets.push(bytes(header(200, 0x8100, 1), question)); // a response
    packets.push(bytes(header(201, 0x8100, 1, 50), question)); // a broken response: still no FORMERR
    const replies = await udpBurst(port, packets, { waitMs: 150 });
    assert.deepEqual(replies, []);
    await stillAnswers();
  });

  it('survives 2000 random packets, answering only queries and only with decodable messages', async () => {
    const packets: Uint8Array[] = [];
    for (let i = 0; i < 2000; i++) packets.push(randomBytes(Math.floor(Math.random() * 300)));
    // Random packets with a plausible header too, so that the decoder goes deeper than the header.
    for (let i = 0; i < 500; i++)
      packets.push(bytes(header(i, 0x0100, 1, i % 3, 0, i % 2), [...randomBytes(40)]));
    const queries = packets.filter((p) => p.length >= 12 && ((p[2] as number) & 0x80) === 0).length;
    const replies = await udpBurst(port, packets, { waitMs: 300 });
    assert.ok(replies.length <= queries, `${replies.length} replies for ${queries} queries`);
    for (const reply of replies) assert.equal(decodeMessage(reply).flags.qr, true);
    await stillAnswers();
  });

  it('reported the undecodable packets as error events, not crashes', () => {
    assert.ok(errors.some((error) => error.name === 'DecodeError'));
  });
});

describe('hostile input over TCP', () => {
  let server: DnsServer;
  let port: number;
  before(async () => {
    server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      logger: silentLogger,
      plugins: [{ name: 'a', handle: answer }],
    });
    await server.listen();
    port = server.addresses()[0]?.port ?? 0;
  });
  after(() => server.close());

  async function stillAnswers(): Promise<void> {
    const client = await TcpClient.connect(port);
    try {
      client.sendFramed([encodeMessage(makeQuery('ok.example.', 'A', { id: 77 }))]);
      const [frame] = await client.waitFrames(1);
      assert.equal(decodeMessage(frame as Uint8Array).id, 77);
    } finally {
      client.destroy();
    }
  }

  it('closes the connection on a frame too short for a header (or of length 0)', async () => {
    for (const frame of [bytes([0, 0]), bytes([0, 5, 1, 2, 3, 4, 5])]) {
      const client = await TcpClient.connect(port);
      client.sendRaw(frame);
      assert.equal(await client.closedWithin(1000), true);
      client.destroy();
    }
    await stillAnswers();
  });

  it('answers FORMERR to a broken frame with a readable header and keeps the connection', async () => {
    const client = await TcpClient.connect(port);
    try {
      client.sendFramed([crafted['a compression pointer to itself'] as Uint8Array]);
      client.sendFramed([bytes(header(3, 0x8100, 1), question)]); // a response: ignored
      client.sendFramed([encodeMessage(makeQuery('ok.example.', 'A', { id: 12 }))]);
      const frames = (await client.waitFrames(2)).map((f) => decodeMessage(f));
      assert.deepEqual(
        frames.map((m) => [m.id, m.rcode]),
        [
          [1, 'FORMERR'],
          [12, 'NOERROR'],
        ],
      );
    } finally {
      client.destroy();
    }
  });

  it('copes with a length prefix promising more than ever comes, and with random streams', async () => {
    const partial = await TcpClient.connect(port);
    partial.sendRaw(bytes([0xff, 0xff], new Array(100).fill(7)));
    partial.socket.end();
    for (let i = 0; i < 20; i++) {
      const client = await TcpClient.connect(port);
      client.sendRaw(randomBytes(2000));
      await client.closedWithin(20);
      client.destroy();
    }
    partial.destroy();
    await stillAnswers();
  });
});

describe('graceful close', () => {
  it('finishes in-flight UDP and TCP queries before closing', async () => {
    const server = createServer({
      port: 0,
      listen: ['127.0.0.1'],
      logger: silentLogger,
      plugins: [{ name: 'a', handle: answer }],
    });
    await server.listen();
    const port = server.addresses()[0]?.port ?? 0;
    const client = await TcpClient.connect(port);
    client.sendFramed([encodeMessage(makeQuery('slow.example.', 'A', { id: 31 }))]);
    const udpReply = udpQuery(port, encodeMessage(makeQuery('slow.example.', 'A', { id: 32 })));
    await new Promise((resolve) => setTimeout(resolve, 30));
    let closed = false;
    const closing = server.close().then(() => {
      closed = true;
    });
    const [frame] = await client.waitFrames(1);
    assert.equal(decodeMessage(frame as Uint8Array).id, 31);
    const reply = await udpReply;
    assert.equal(reply === undefined ? undefined : decodeMessage(reply).id, 32);
    await closing;
    assert.equal(closed, true);
    assert.equal(await client.closedWithin(1000), true);
    client.destroy();
  });
});
