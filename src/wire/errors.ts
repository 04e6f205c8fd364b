/** Why a message could not be decoded. */
export type DecodeErrorCode =
  /** Fewer than the 12 header bytes. */
  | 'short-header'
  /** The message ends before the records its header counts (or inside one). */
  | 'truncated'
  /** A label longer than 63 bytes, or a reserved label type (RFC 6891 retired 0x40/0x80). */
  | 'bad-label'
  /** A name longer than 255 bytes on the wire (RFC 1035 3.1). */
  | 'name-too-long'
  /** A compression pointer that does not point strictly backwards, or too many hops. */
  | 'bad-pointer'
  /** RDLENGTH runs past the end of the message. */
  | 'rdlength-overrun'
  /** RDATA whose content disagrees with its RDLENGTH or type (A not 4 bytes, MX leftovers...). */
  | 'bad-rdata'
  /** OPT in the wrong place: outside the additional section, not owned by root, or twice. */
  | 'bad-opt';

/** Why a message or value could not be encoded. */
export type EncodeErrorCode =
  /** A malformed name: bad escape, empty label, label over 63 bytes, name over 255 bytes. */
  | 'bad-name'
  /** A type, class, rcode or opcode mnemonic we do not know (and not `TYPE<n>` style). */
  | 'unknown-mnemonic'
  /** A numeric field out of range or not an integer. */
  | 'bad-field'
  /** RDATA that does not fit its type (bad IP address, TXT string over 255 bytes...). */
  | 'bad-rdata'
  /** An extended rcode (over 15) without EDNS to carry its upper bits (RFC 6891 6.1.3). */
  | 'rcode-needs-edns'
  /** Over 65535 bytes, or not even the header, question and OPT fit in `maxSize`. */
  | 'too-large';

/** Thrown by {@link decodeMessage} for every malformed input, and by nothing else. */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  /** What was wrong. */
  readonly code: DecodeErrorCode;
  /** Byte offset in the message where the problem was found. */
  readonly offset: number;

  constructor(code: DecodeErrorCode, offset: number, message?: string) {
    super(message ?? `${code} at offset ${offset}`);
    this.code = code;
    this.offset = offset;
  }
}

/** Thrown when a message or one of its values cannot be put on the wire. */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
  /** What was wrong. */
  readonly code: EncodeErrorCode;

  constructor(code: EncodeErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
