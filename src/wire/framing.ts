/** DNS over TCP framing: a two-byte length before each message (RFC 1035 4.2.2, RFC 7766 8). */
import { EncodeError } from './errors.js';

/** Prefixes `bytes` with its 16-bit length. Throws `EncodeError` (`too-large`) over 65535 bytes. */
export function frameMessage(bytes: Uint8Array): Uint8Array {
  if (bytes.length > 0xffff) throw new EncodeError('too-large', `cannot frame ${bytes.length} bytes`);
  const framed = new Uint8Array(bytes.length + 2);
  framed[0] = bytes.length >>> 8;
  framed[1] = bytes.length & 0xff;
  framed.set(bytes, 2);
  return framed;
}

/** Reassembles length-prefixed frames from a byte stream. */
export interface FrameReader {
  /** Adds bytes from the stream; calls `onFrame` for each frame completed, in order. */
  push(chunk: Uint8Array): void;
  /** Bytes received but not yet delivered (a partial frame or length prefix). */
  readonly buffered: number;
}

/**
 * A reader for a TCP stream of DNS messages. Frames may be split across chunks or several may
 * arrive in one; each chunk is kept by reference (no re-copying of the backlog), and a frame that
 * lies inside one chunk is delivered as a view of it, so callers must not reuse pushed chunks.
 * If `onFrame` throws, the error propagates out of `push` after that frame was consumed.
 */
export function createFrameReader(onFrame: (frame: Uint8Array) => void): FrameReader {
  const chunks: Uint8Array[] = [];
  let head = 0;
  let offset = 0;
  let buffered = 0;

  const byteAt = (index: number): number => {
    let skip = index + offset;
    for (let i = head; ; i++) {
      const chunk = chunks[i]!;
      if (skip < chunk.length) return chunk[skip]!;
      skip -= chunk.length;
    }
  };

  const take = (count: number): Uint8Array => {
    if (count === 0) return new Uint8Array(0);
    buffered -= count;
    const first = chunks[head]!;
    if (first.length - offset >= count) {
      const view = first.subarray(offset, offset + count);
      offset += count;
      if (offset === first.length) {
        head++;
        offset = 0;
      }
      return view;
    }
    const out = new Uint8Array(count);
    let filled = 0;
    while (filled < count) {
      const chunk = chunks[head]!;
      const part = Math.min(chunk.length - offset, count - filled);
      out.set(chunk.subarray(offset, offset + part), filled);
      filled += part;
      offset += part;
      if (offset === chunk.length) {
        head++;
        offset = 0;
      }
    }
    return out;
  };

  const compact = (): void => {
    if (head === 0) return;
    if (head === chunks.length || head >= 64) {
      chunks.splice(0, head);
      head = 0;
    }
  };

  return {
    push(chunk: Uint8Array): void {
      if (chunk.length === 0) return;
      chunks.push(chunk);
      buffered += chunk.length;
      try {
        while (buffered >= 2) {
          const length = (byteAt(0) << 8) | byteAt(1);
          if (buffered < length + 2) break;
          take(2);
          onFrame(take(length));
        }
      } finally {
        compact();
      }
    },
    get buffered(): number {
      return buffered;
    },
  };
}
