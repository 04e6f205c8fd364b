/** A zone loaded from a file and reloaded when the file changes (the `file` and `auto` plugins). */
import { statSync } from 'node:fs';
import { loadZoneFile, type ZoneFileReader } from './parser/load.js';
import type { Zone } from './types.js';

/** Options of {@link ZoneFileWatcher}. */
export interface ZoneFileWatcherOptions {
  readonly path: string;
  readonly origin: string;
  /**
   * Reload whenever the file changed, even without a higher SOA serial (CoreDNS's
   * `reload_by_mtime`). Default false: a new file is taken only when its serial is higher.
   */
  readonly byMtime?: boolean;
  readonly readFile?: ZoneFileReader;
}

/** What {@link ZoneFileWatcher.check} found. */
export type ZoneCheck =
  | { readonly kind: 'unchanged' }
  | { readonly kind: 'stale'; readonly serial: number }
  | { readonly kind: 'reloaded'; readonly zone: Zone }
  | { readonly kind: 'failed'; readonly error: Error };

function fingerprint(path: string): string | undefined {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.mtimeNs}:${stat.size}:${stat.ino}`;
  } catch {
    return undefined;
  }
}

/** Holds the current zone of one file and decides, on each poll, whether to swap in a new one. */
export class ZoneFileWatcher {
  private seen: string | undefined;
  zone: Zone | undefined;

  constructor(readonly options: ZoneFileWatcherOptions) {}

  /** Loads the file now; throws `ZoneFileError` when it cannot be read or parsed. */
  load(): Zone {
    const seen = fingerprint(this.options.path);
    const zone = loadZoneFile(this.options.path, this.loadOptions());
    this.zone = zone;
    this.seen = seen;
    return zone;
  }

  /**
   * Re-reads the file if its size, mtime or inode changed. A file that fails to parse is
   * reported and the old zone stays; a serial not above the current one is ignored unless
   * `byMtime` (as CoreDNS's `file` does).
   */
  check(): ZoneCheck {
    const seen = fingerprint(this.options.path);
    if (seen !== undefined && seen === this.seen && this.zone !== undefined) return { kind: 'unchanged' };
    let zone: Zone;
    try {
      zone = loadZoneFile(this.options.path, this.loadOptions());
    } catch (error) {
      this.seen = seen;
      return { kind: 'failed', error: error as Error };
    }
    this.seen = seen;
    const current = this.zone;
    if (current !== undefined && !this.options.byMtime && zone.serial <= current.serial) {
      return { kind: 'stale', serial: zone.serial };
    }
    this.zone = zone;
    return { kind: 'reloaded', zone };
  }

  private loadOptions(): { origin: string; readFile?: ZoneFileReader } {
    const { origin, readFile } = this.options;
    return readFile === undefined ? { origin } : { origin, readFile };
  }
}
