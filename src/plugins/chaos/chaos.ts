import { hostname as osHostname } from 'node:os';
import type { DnsContext, Next, Plugin } from '../../core/types.js';
import type { ResourceRecord } from '../../wire/types.js';
import { defaultChaosAuthors, defaultChaosVersion } from './version.js';

/** Options of {@link chaos}. */
export interface ChaosOptions {
  /** The `version.bind` / `version.server` answer; default `dnskit-<package version>`. */
  readonly version?: string;
  /** The `authors.bind` answers, one TXT record each, in random order; default dnskit's. */
  readonly authors?: readonly string[];
  /** The `hostname.bind` / `id.server` answer; default `os.hostname()`. */
  readonly hostname?: () => string;
}

/** A TXT character-string holds at most 255 bytes (RFC 1035 3.3); longer text is cut, as CoreDNS does. */
export function trimCharacterString(text: string): string {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length <= 255) return text;
  // Cut on a byte boundary, then drop a partial trailing UTF-8 sequence so the string stays valid.
  return bytes
    .subarray(0, 255)
    .toString('utf8')
    .replace(/\uFFFD$/, '');
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = items.slice();
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

function currentHostname(): string {
  try {
    return osHostname() || 'localhost';
  } catch {
    return 'localhost';
  }
}

interface ChaosTexts {
  readonly version: string;
  readonly authors: readonly string[];
  readonly hostname: () => string;
}

/** The TXT strings for a CH name we know, or undefined to pass the query on. */
function textsFor(name: string, texts: ChaosTexts): string[] | undefined {
  switch (name) {
    case 'version.bind.':
    case 'version.server.':
      return [texts.version];
    case 'authors.bind.':
      return shuffled(texts.authors);
    case 'hostname.bind.':
    case 'id.server.':
      return [trimCharacterString(texts.hostname())];
    default:
      return undefined;
  }
}

function makeHandler(texts: ChaosTexts) {
  return (ctx: DnsContext, next: Next): Promise<void> | void => {
    const { question } = ctx;
    if (question.class !== 'CH' || question.type !== 'TXT') return next();
    const strings = textsFor(question.name, texts);
    if (strings === undefined) return next();
    const answers = strings.map(
      (text): ResourceRecord => ({ name: ctx.rawName, type: 'TXT', class: 'CH', ttl: 0, data: [text] }),
    );
    ctx.reply({ answers });
  };
}

/**
 * The `chaos` plugin: answers CH-class TXT queries for `version.bind.`, `version.server.`,
 * `authors.bind.`, `hostname.bind.` and `id.server.` (TTL 0, not authoritative, as CoreDNS).
 * Any other query, including other CH names, goes on to the next plugin.
 *
 * @example
 * ```ts
 * const server = createServer({ plugins: [chaos({ version: 'my-dns-1.0' }), whoami()] });
 * ```
 */
export function chaos(options: ChaosOptions = {}): Plugin {
  const texts: ChaosTexts = {
    version: trimCharacterString(options.version ?? defaultChaosVersion()),
    authors: (options.authors ?? defaultChaosAuthors).map(trimCharacterString),
    hostname: options.hostname ?? currentHostname,
  };
  return { name: 'chaos', handle: makeHandler(texts) };
}
