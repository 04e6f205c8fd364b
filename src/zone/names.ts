/**
 * Name helpers for the zone store. Names here are normalised (`normalizeName`): lowercase,
 * fully qualified, canonical escapes, so a label boundary is a dot not preceded by an odd
 * number of backslashes.
 */

/** Whether the dot at `index` ends a label (is not escaped as `\.`). */
function isSeparator(name: string, index: number): boolean {
  if (name.charCodeAt(index) !== 46) return false;
  let backslashes = 0;
  for (let i = index - 1; i >= 0 && name.charCodeAt(i) === 92; i--) backslashes++;
  return backslashes % 2 === 0;
}

/** The parent of a normalised name (`a.b.` -> `b.`); undefined for the root. */
export function parentName(name: string): string | undefined {
  if (name === '.') return undefined;
  for (let i = 0; i < name.length - 1; i++) {
    if (isSeparator(name, i)) return name.slice(i + 1);
  }
  return '.';
}

/** Whether normalised `name` is `zone` or below it. */
export function isUnder(name: string, zone: string): boolean {
  if (zone === '.' || name === zone) return true;
  return name.length > zone.length && name.endsWith(zone) && isSeparator(name, name.length - zone.length - 1);
}

/** `prefix` labels of `name` above `zone` (`a.b.z.`, `z.` -> `a.b.`), or `''` when equal. */
export function relativePrefix(name: string, zone: string): string {
  return zone === '.' ? (name === '.' ? '' : name) : name.slice(0, name.length - zone.length);
}

/** Decodes a label's canonical text to its octets (`\DDD`, `\X`). */
function labelOctets(label: string): number[] {
  const octets: number[] = [];
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    if (c !== 92) {
      octets.push(c);
      continue;
    }
    const digits = label.slice(i + 1, i + 4);
    if (/^\d{3}$/.test(digits)) {
      octets.push(Number(digits));
      i += 3;
    } else {
      octets.push(label.charCodeAt(++i));
    }
  }
  return octets;
}

/** The labels of a normalised name, leftmost first, in canonical text. */
export function splitLabels(name: string): string[] {
  const labels: string[] = [];
  let start = 0;
  for (let i = 0; i < name.length; i++) {
    if (isSeparator(name, i)) {
      if (i > start) labels.push(name.slice(start, i));
      start = i + 1;
    }
  }
  return labels;
}

/**
 * A string whose code-unit order is the canonical DNS name order (RFC 4034 6.1): labels from
 * the root, each compared as lowercase octets, a shorter label before its extensions. Each
 * octet is shifted by one so that 0 can end a label.
 */
export function canonicalKey(name: string): string {
  const labels = splitLabels(name);
  let key = '';
  for (let i = labels.length - 1; i >= 0; i--) {
    for (const octet of labelOctets(labels[i]!)) {
      const lower = octet >= 65 && octet <= 90 ? octet + 32 : octet;
      key += String.fromCharCode(lower + 1);
    }
    key += '\u0000';
  }
  return key;
}

/** Compares two names in canonical order (RFC 4034 6.1). */
export function compareNames(a: string, b: string): number {
  const ka = canonicalKey(a);
  const kb = canonicalKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}
