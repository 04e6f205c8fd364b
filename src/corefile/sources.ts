import { readdirSync, readFileSync } from 'node:fs';
import type { EnvLookup } from './env.js';

/** Where the parser reads environment variables and imported files; tests inject fakes. */
export interface SourceOptions {
  /** Name of the Corefile, used in errors and to resolve relative imports; default `Corefile`. */
  readonly file?: string;
  /** Environment for `{$NAME}` / `{%NAME%}`; default `process.env`. */
  readonly env?: EnvLookup;
  /** Reads an imported file as UTF-8; default `fs.readFileSync`. Throw an error with `code: 'ENOENT'` when missing. */
  readonly readFile?: (path: string) => string;
  /** Lists a directory's entry names, for glob imports; default `fs.readdirSync`. */
  readonly readdir?: (dir: string) => readonly string[];
  /** Told about imports that are not errors but look wrong (a glob matching nothing). Default: ignored. */
  readonly onWarning?: (message: string) => void;
}

/** {@link SourceOptions} with every default filled in. */
export interface Sources {
  readonly file: string;
  readonly env: EnvLookup;
  readonly readFile: (path: string) => string;
  readonly readdir: (dir: string) => readonly string[];
  readonly onWarning: (message: string) => void;
}

/** Fills in the defaults: the process environment and the real file system. */
export function resolveSources(options: SourceOptions = {}): Sources {
  return {
    file: options.file ?? 'Corefile',
    env: options.env ?? process.env,
    readFile: options.readFile ?? ((path) => readFileSync(path, 'utf8')),
    readdir: options.readdir ?? ((dir) => readdirSync(dir)),
    onWarning: options.onWarning ?? (() => {}),
  };
}
