import { createRequire } from 'node:module';

let cachedVersion: string | undefined;

/**
 * `dnskit-<version>`, the default answer to `version.bind`. package.json is read once; it sits
 * three levels up from both `src/plugins/chaos/` and the built `dist/plugins/chaos/`.
 */
export function defaultChaosVersion(): string {
  if (cachedVersion === undefined) {
    const require = createRequire(import.meta.url);
    const manifest = require('../../../package.json') as { version?: unknown };
    cachedVersion = `dnskit-${String(manifest.version)}`;
  }
  return cachedVersion;
}

/** Who answers `authors.bind` when the Corefile names nobody. */
export const defaultChaosAuthors: readonly string[] = Object.freeze(['dnskit contributors']);
