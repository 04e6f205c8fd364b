import { basename, dirname, isAbsolute, join } from 'node:path';
import { CorefileError } from './errors.js';
import type { Sources } from './sources.js';
import type { Token } from './types.js';

/** A file an `import` names: its path (as tokens will report it) and its text. */
export interface ImportedFile {
  readonly path: string;
  readonly text: string;
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

function readImport(path: string, at: Token, sources: Sources, missingIsError: boolean): ImportedFile[] {
  try {
    return [{ path, text: sources.readFile(path) }];
  } catch (error) {
    const code = errorCode(error);
    if ((code === 'ENOENT' || code === 'ENOTDIR') && !missingIsError) return [];
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new CorefileError(at, `File to import not found: ${path}`);
    }
    if (code === 'EISDIR') throw new CorefileError(at, `Could not import ${path}: is a directory`);
    throw new CorefileError(at, `Could not import ${path}: ${(error as Error).message}`);
  }
}

function globRegExp(segment: string): RegExp {
  const escaped = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replaceAll('*', '.*').replaceAll('?', '.')}$`, 's');
}

/** Caddy v1 refuses patterns that could expand explosively (its issue #2096). */
function checkGlob(pattern: string, at: Token): void {
  const count = (ch: string) => pattern.split(ch).length - 1;
  if (count('*') > 1 || count('?') > 1 || (pattern.includes('[') && pattern.includes(']'))) {
    throw new CorefileError(at, `Glob pattern may only contain one wildcard (*), but has others: ${pattern}`);
  }
  if (/[*?]/.test(dirname(pattern))) {
    throw new CorefileError(
      at,
      `Glob wildcards are only supported in the file name, not in folders: ${pattern}`,
    );
  }
}

function listDir(dir: string, sources: Sources): readonly string[] {
  try {
    return sources.readdir(dir);
  } catch {
    return []; // like Go's filepath.Glob: an unreadable folder matches nothing
  }
}

/**
 * Reads the files an `import PATTERN` names. The pattern is relative to the folder of the file
 * that holds the `import` token. A plain path must exist; a glob (`*` or `?`, one of each, in the
 * file name only) may match nothing, which is only a warning; matches are read in name order.
 */
export function readImports(pattern: string, at: Token, sources: Sources): ImportedFile[] {
  const path = isAbsolute(pattern) ? pattern : join(dirname(at.file), pattern);
  if (!/[*?[\]]/.test(path)) return readImport(path, at, sources, true);
  checkGlob(path, at);
  const dir = dirname(path);
  const matcher = globRegExp(basename(path));
  const names = listDir(dir, sources)
    .filter((name) => matcher.test(name))
    .sort();
  if (names.length === 0) sources.onWarning(`No files matching import glob pattern: ${pattern}`);
  return names.flatMap((name) => readImport(join(dir, name), at, sources, false));
}
