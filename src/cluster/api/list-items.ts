/**
 * Splits a list response (`{"kind":…,"metadata":…,"items":[…]}`) into its items' offsets and
 * the rest of the document, without parsing it whole: each item is then parsed on its own, turned
 * into a record and dropped while still young, so a page never becomes one big object graph that
 * outlives a scavenge and is promoted to the old generation as garbage.
 * @module
 */

// UTF-16 code units of the JSON syntax that matters here.
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

/** A list body cut into its items and everything else. */
export interface SplitList {
  /** The document with an empty `items` array (metadata: resourceVersion, continue). */
  readonly rest: string;
  /** Start and end offsets of each item, flat: `[start0, end0, start1, end1, …]`. */
  readonly items: readonly number[];
}

/** Offset just past the string that starts at `start` (a quote). */
function skipString(body: string, start: number): number {
  let i = start + 1;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === QUOTE) break;
    i += c === BACKSLASH ? 2 : 1;
  }
  return i + 1;
}

/**
 * Finds the top-level `items` array of a JSON object and the objects in it (offsets into `body`,
 * for `body.slice`). Only quotes, backslashes and brackets matter. Undefined when the body has no
 * top-level `items` array.
 */
export function splitList(body: string): SplitList | undefined {
  const items: number[] = [];
  let depth = 0;
  /** Offsets of the last string seen at depth 1 (the key of the value that follows). */
  let keyStart = -1;
  let keyEnd = -1;
  let open = -1;
  let close = -1;
  let itemStart = -1;
  let i = 0;
  while (i < body.length) {
    const c = body.charCodeAt(i);
    if (c === QUOTE) {
      const end = skipString(body, i);
      if (depth === 1) [keyStart, keyEnd] = [i + 1, end - 1];
      i = end;
      continue;
    }
    if (c === OPEN_BRACE || c === OPEN_BRACKET) {
      if (depth === 1 && c === OPEN_BRACKET && open < 0 && body.slice(keyStart, keyEnd) === 'items') {
        open = i + 1;
      } else if (depth === 2 && open >= 0 && close < 0 && c === OPEN_BRACE) {
        itemStart = i;
      }
      depth++;
    } else if (c === CLOSE_BRACE || c === CLOSE_BRACKET) {
      depth--;
      if (depth === 2 && itemStart >= 0) {
        items.push(itemStart, i + 1);
        itemStart = -1;
      } else if (depth === 1 && open >= 0 && close < 0) {
        close = i;
      }
    }
    i++;
  }
  if (open < 0 || close < 0) return undefined;
  return { rest: body.slice(0, open) + body.slice(close), items };
}
