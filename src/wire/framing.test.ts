import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EncodeError } from './errors.js';
import { createFrameReader, frameMessage } from './framing.js';

function frames(...sizes: number[]): { stream: Uint8Array; messages: Uint8Array[] } {
  const messages = sizes.map((size, i) => Uint8Array.from({ length: size }, (_, j) => (i * 31 + j) & 0xff));
  const framed = messages.map(frameMessage);
  const stream = new Uint8Array(framed.reduce((sum, f) => sum + f.length, 0));
  let at = 0;
  for (const f of framed) {
    stream.set(f, at);
    at += f.length;
  }
  return { stream, messages };
}

function collect(): { out: Uint8Array[]; reader: ReturnType<typeof createFrameReader> } {
  const out: Uint8Array[] = [];
  return { out, reader: createFrameReader((frame) => out.push(Uint8Array.from(frame))) };
}

describe('frameMessage', () => {
  it('prefixes the 16-bit length', () => {
    assert.deepEqual([...frameMessage(new Uint8Array([7, 8, 9]))], [0, 3, 7, 8, 9]);
    assert.equal(frameMessage(new Uint8Array(0xffff)).length, 0x10001);
    assert.throws(
      () => frameMessage(new Uint8Array(0x10000)),
      (error: unknown) => error instanceof EncodeError && error.code === 'too-large',
    );
  });
});

describe('createFrameReader', () => {
  it('splits several frames joined in one chunk', () => {
    const { stream, messages } = frames(5, 0, 300, 1);
    const { out, reader } = collect();
    reader.push(stream);
    assert.deepEqual(out, messages);
    assert.equal(reader.buffered, 0);
  });

  it('reassembles frames split at every possible point', () => {
    const { stream, messages } = frames(3, 260, 2);
    for (let cut = 1; cut < stream.length; cut++) {
      const { out, reader } = collect();
      reader.push(stream.subarray(0, cut));
      assert.equal(out.length + reader.buffered > 0, true);
      reader.push(stream.subarray(cut));
      assert.deepEqual(out, messages, `cut at ${cut}`);
      assert.equal(reader.buffered, 0);
    }
  });

  it('works one byte at a time, in linear time', () => {
    const { stream, messages } = frames(0xffff, 10, 0xffff);
    const { out, reader } = collect();
    const started = performance.now();
    for (let i = 0; i < stream.length; i++) reader.push(stream.subarray(i, i + 1));
    assert.ok(performance.now() - started < 5000);
    assert.deepEqual(out, messages);
  });

  it('reports partial data as buffered', () => {
    const { out, reader } = collect();
    reader.push(new Uint8Array([0]));
    assert.equal(reader.buffered, 1);
    reader.push(new Uint8Array([4, 1, 2]));
    assert.equal(reader.buffered, 4);
    assert.equal(out.length, 0);
    reader.push(new Uint8Array([3, 4, 0]));
    assert.deepEqual(out, [new Uint8Array([1, 2, 3, 4])]);
    assert.equal(reader.buffered, 1);
  });

  it('stays consistent when the callback throws', () => {
    const seen: number[] = [];
    const reader = createFrameReader((frame) => {
      seen.push(frame.length);
      if (frame.length === 1) throw new Error('boom');
    });
    const { stream } = frames(1, 2);
    assert.throws(() => reader.push(stream), /boom/);
    reader.push(new Uint8Array(0));
    reader.push(frameMessage(new Uint8Array(3)));
    assert.deepEqual(seen, [1, 2, 3]);
  });
});
