import { AssertionError } from 'node:assert';
import { formatRecord } from '../wire/index.js';
import type { DnsMessage, Rcode } from '../wire/types.js';

/** A record section of a message. */
export type Section = 'answers' | 'authorities' | 'additionals';

/** Options of {@link assertAnswers}. */
export interface AssertAnswersOptions {
  /** Compare without the TTL field (expected lines may then leave it out). Default false. */
  readonly ignoreTtl?: boolean;
  /** Require the records in this order. Default false: any order. */
  readonly ordered?: boolean;
  /** Which section to compare; default `answers`. */
  readonly section?: Section;
}

/**
 * The records of a section in presentation format, one line each.
 *
 * @example
 * ```ts
 * answers(response); // ['example.org. 300 IN A 192.0.2.1']
 * ```
 */
export function answers(response: DnsMessage, section: Section = 'answers'): string[] {
  return response[section].map((record) => formatRecord(record));
}

function normalizeLine(line: string, ignoreTtl: boolean): string {
  const fields = line.trim().split(/\s+/);
  // Presentation order is `name ttl class type rdata`; the TTL is the only all-digit second field.
  if (ignoreTtl && fields.length > 1 && /^\d+$/.test(fields[1] as string)) fields.splice(1, 1);
  return fields.join(' ');
}

function diff(expected: readonly string[], actual: readonly string[]): string {
  const missing = expected.filter((line) => !actual.includes(line));
  const unexpected = actual.filter((line) => !expected.includes(line));
  const lines = [...missing.map((l) => `- ${l}`), ...unexpected.map((l) => `+ ${l}`)];
  if (lines.length === 0) lines.push('(same records, different order)');
  return `${lines.join('\n')}\n\nexpected:\n${expected.join('\n') || '(none)'}\nactual:\n${actual.join('\n') || '(none)'}`;
}

/**
 * Asserts the records of a section, compared as whitespace-normalised presentation lines
 * (`name ttl class type rdata`). Throws an `AssertionError` with a `-`/`+` diff otherwise.
 *
 * @example
 * ```ts
 * assertAnswers(response, ['example.org. IN A 192.0.2.1'], { ignoreTtl: true });
 * assertAnswers(response, [], { section: 'authorities' });
 * ```
 */
export function assertAnswers(
  response: DnsMessage,
  expected: readonly string[],
  options: AssertAnswersOptions = {},
): void {
  const ignoreTtl = options.ignoreTtl ?? false;
  const section = options.section ?? 'answers';
  const actualLines = answers(response, section).map((line) => normalizeLine(line, ignoreTtl));
  const expectedLines = expected.map((line) => normalizeLine(line, ignoreTtl));
  const ordered = options.ordered ?? false;
  const actualKey = ordered ? actualLines : [...actualLines].sort();
  const expectedKey = ordered ? expectedLines : [...expectedLines].sort();
  const same =
    actualKey.length === expectedKey.length && actualKey.every((line, i) => line === expectedKey[i]);
  if (same) return;
  throw new AssertionError({
    message: `${section} differ${ordered ? ' (ordered)' : ''}:\n${diff(expectedLines, actualLines)}`,
    actual: actualLines,
    expected: expectedLines,
    operator: 'assertAnswers',
  });
}

/**
 * Asserts the response code.
 *
 * @example
 * ```ts
 * assertRcode(await server.exchange(query('nope.example.org.')), 'NXDOMAIN');
 * ```
 */
export function assertRcode(response: DnsMessage, rcode: Rcode): void {
  if (response.rcode === rcode) return;
  const summary = `${response.rcode} for ${response.questions[0]?.name ?? '(no question)'} ${response.questions[0]?.type ?? ''}`;
  throw new AssertionError({
    message: `expected rcode ${rcode}, got ${summary.trim()}`,
    actual: response.rcode,
    expected: rcode,
    operator: 'assertRcode',
  });
}
