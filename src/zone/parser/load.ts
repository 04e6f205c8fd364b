/** Master files to records and zones, with file-and-line errors. */
import { readFileSync } from 'node:fs';
import { normalizeName } from '../../wire/index.js';
import type { ResourceRecord } from '../../wire/types.js';
import { ZoneError, ZoneFileError } from '../errors.js';
import type { Zone } from '../types.js';
import { createZone } from '../zone.js';
import { MasterFileParser, type ParseSink, type ZoneFileReader } from './parser.js';

export type { ZoneFileReader } from './parser.js';

/** Options of {@link parseZone}. */
export interface ParseZoneOptions {
  /** The initial `$ORIGIN` (and, for {@link loadZone}, the zone's apex). */
  readonly origin: string;
  /** The file name for errors and for resolving relative `$INCLUDE`s; default `<input>` (relative to the working directory). */
  readonly file?: string;
  /** Reads `$INCLUDE`d files; default `fs.readFileSync(path, 'utf8')`. */
  readonly readFile?: ZoneFileReader;
}

/** Options of {@link loadZone} and {@link loadZoneFile}. */
export type LoadZoneOptions = ParseZoneOptions;

const defaultReader: ZoneFileReader = (path) => readFileSync(path, 'utf8');

function parseInto(text: string, options: ParseZoneOptions): ParseSink {
  const sink: ParseSink = { records: [], where: [], files: [], readFile: options.readFile ?? defaultReader };
  const file = options.file ?? '<input>';
  let origin: string;
  try {
    origin = normalizeName(options.origin);
  } catch (error) {
    throw new ZoneFileError(file, 0, `bad origin '${options.origin}': ${(error as Error).message}`);
  }
  new MasterFileParser(sink, file, origin).parse(text);
  return sink;
}

/**
 * Parses master-file text into records, in file order (names absolute, as spelled). Throws
 * {@link ZoneFileError} with the file and line of the first problem.
 *
 * @example
 * ```ts
 * const records = parseZone('@ 3600 IN SOA ns hostmaster 1 7200 3600 1209600 300\n', { origin: 'example.org.' });
 * ```
 */
export function parseZone(text: string, options: ParseZoneOptions): ResourceRecord[] {
  return parseInto(text, options).records;
}

/** Where the first record owned by the name of a {@link ZoneError} came from. */
function locate(sink: ParseSink, error: ZoneError): { file: string; line: number } {
  const name = /^(\S+)/.exec(error.message)?.[1]?.toLowerCase();
  const index = sink.records.findIndex((record) => record.name.toLowerCase() === name);
  if (index < 0) return { file: sink.files[0] ?? '<input>', line: 0 };
  return { file: sink.files[sink.where[2 * index]!] ?? '<input>', line: sink.where[2 * index + 1]! };
}

/**
 * Parses master-file text and builds the zone at `options.origin`. Any problem, in the syntax or
 * in the data (no SOA, CNAME and other data...), is a {@link ZoneFileError}: nothing half-loaded.
 */
export function loadZone(text: string, options: LoadZoneOptions): Zone {
  const sink = parseInto(text, options);
  try {
    return createZone(options.origin, sink.records);
  } catch (error) {
    if (!(error instanceof ZoneError)) throw error;
    const where = locate(sink, error);
    throw new ZoneFileError(where.file, where.line, error.message);
  }
}

/** Reads and loads a master file (see {@link loadZone}); unreadable files are {@link ZoneFileError}s too. */
export function loadZoneFile(path: string, options: Omit<LoadZoneOptions, 'file'>): Zone {
  const reader = options.readFile ?? defaultReader;
  let text: string;
  try {
    text = reader(path);
  } catch (error) {
    throw new ZoneFileError(path, 0, `cannot read the zone file: ${(error as Error).message}`);
  }
  return loadZone(text, { ...options, file: path });
}
