import type { PluginDefinition } from '../../corefile/types.js';
import { type FileOptions, file } from './file.js';
import { parseFile } from './setup.js';

export { type FileOptions, type FilePlugin, file } from './file.js';

/** The `file` directive: `file DBFILE [ZONES...] { fallthrough; reload DURATION; reload_by_mtime }`. */
export const fileDefinition: PluginDefinition<FileOptions> = {
  name: 'file',
  parse: parseFile,
  create: (options) => file(options),
};
