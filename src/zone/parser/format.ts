/** The master-file printer: one record per line, absolute names, no directives. */
import { formatRecord } from '../../wire/present.js';
import type { ResourceRecord } from '../../wire/types.js';
import type { Zone } from '../types.js';

function isZone(value: Zone | Iterable<ResourceRecord>): value is Zone {
  return typeof (value as Partial<Zone>).lookup === 'function';
}

/**
 * A zone (or records) in presentation format, one record per line as
 * `name<TAB>ttl<TAB>class<TAB>type<TAB>rdata`, in canonical order for a zone. Types without a
 * typed form print as RFC 3597 `\# len hex`, which {@link parseZone} reads back.
 */
export function formatZone(zone: Zone | Iterable<ResourceRecord>): string {
  const records = isZone(zone) ? zone.records() : zone;
  let text = '';
  for (const record of records) text += `${formatRecord(record)}\n`;
  return text;
}
