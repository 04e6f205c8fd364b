/**
 * dnskit's wire layer: the typed message model and its codec (RFC 1035, 3597, 6891).
 * @module
 */
export {
  classFromNumber,
  classToNumber,
  opcodeFromNumber,
  opcodeToNumber,
  rcodeFromNumber,
  rcodeToNumber,
  typeFromNumber,
  typeToNumber,
} from './codes.js';
export { decodeMessage, readHeader } from './decode.js';
export { EDNS_OPTION, MIN_UDP_PAYLOAD, maxUdpPayload } from './edns.js';
export { type EncodeOptions, encodeMessage } from './encode.js';
export { DecodeError, type DecodeErrorCode, EncodeError, type EncodeErrorCode } from './errors.js';
export { formatMessage } from './format-message.js';
export { createFrameReader, type FrameReader, frameMessage } from './framing.js';
export { isSubdomain, nameLabels, normalizeName, validateName } from './names.js';
export { formatRData, formatRecord } from './present.js';
export { DEFAULT_UDP_PAYLOAD, makeQuery, type QueryInit } from './query.js';
export type * from './types.js';
