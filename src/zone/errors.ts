/** Errors of the zone store and the master-file parser. */

/** A zone's data is not acceptable (no SOA, CNAME and other data, a name outside the zone...). */
export class ZoneError extends Error {
  override readonly name = 'ZoneError';
}

/**
 * A master file could not be read or parsed. The message has the shape
 * `db.example.org:12: expected a TTL or class, got 'INN'`; a zone that fails to load is never
 * served half-loaded.
 */
export class ZoneFileError extends Error {
  override readonly name = 'ZoneFileError';

  /**
   * @param file the file name as given (or `<input>`)
   * @param line the 1-based line, 0 when the error is about the whole zone
   * @param detail what was wrong, without the location
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly detail: string,
  ) {
    super(line > 0 ? `${file}:${line}: ${detail}` : `${file}: ${detail}`);
  }
}
