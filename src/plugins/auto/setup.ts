import { pluginZones } from '../../corefile/plugin-zones.js';
import type { DirectiveLine, DirectiveTokens } from '../../corefile/types.js';
import { parseReload } from '../file/setup.js';
import type { AutoOptions } from './auto.js';

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** `directory DIR [REGEXP TEMPLATE]`; CoreDNS's `${1}` and `{1}` both name a capture group. */
function parseDirectory(
  directive: DirectiveTokens,
  line: DirectiveLine,
  options: Mutable<AutoOptions>,
): void {
  const [dir, regexp, template, extra] = line.args;
  if (dir === undefined || (regexp !== undefined && template === undefined))
    throw directive.argError(line.name);
  if (extra !== undefined) throw directive.argError(extra);
  options.directory = dir.text;
  if (regexp === undefined || template === undefined) return;
  let pattern: RegExp;
  try {
    pattern = new RegExp(regexp.text);
  } catch (error) {
    throw directive.error(`invalid regexp '${regexp.text}': ${(error as Error).message}`, regexp);
  }
  if (new RegExp(`${pattern.source}|`).exec('')!.length < 2)
    throw directive.error('Need at least one sub expression', regexp);
  options.pattern = pattern;
  options.template = template.text.replace(/\$\{(\d+)\}/g, '{$1}');
}

/** `auto [ZONES...] { directory DIR [REGEXP TEMPLATE]; reload DURATION }`. */
export function parseAuto(directive: DirectiveTokens): AutoOptions {
  const options: Mutable<AutoOptions> = { directory: '', zones: pluginZones(directive) };
  for (const line of directive.block) {
    if (line.block.length > 0) throw directive.argError(line.name);
    if (line.name.text === 'directory') parseDirectory(directive, line, options);
    else if (line.name.text === 'reload') options.reloadMs = parseReload(directive, line);
    else if (line.name.text !== 'upstream')
      throw directive.error(`unknown property '${line.name.text}'`, line.name);
  }
  if (options.directory === '') throw directive.error('auto needs a directory', directive.name);
  return options;
}
