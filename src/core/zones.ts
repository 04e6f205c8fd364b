import { isSubdomain, normalizeName } from '../wire/index.js';
import type { RRType } from '../wire/types.js';
import type { Middleware } from './types.js';

/** Normalises zone names (lowercase, fully qualified); `[]` means the root zone. */
export function normalizeZones(zones: readonly string[] | undefined): string[] {
  if (zones === undefined || zones.length === 0) return ['.'];
  return zones.map((zone) => normalizeName(zone));
}

/** Where {@link ZoneRouter.route} sends a query. */
export interface ZoneRoute<T> {
  readonly zone: string;
  readonly target: T;
}

/** One routable entry: a target (a server block) and its zones. */
export interface ZoneEntry<T> {
  readonly zones: readonly string[];
  readonly target: T;
}

/** The offset just past the next unescaped dot at or after `from`, or -1 at the name's end. */
function nextLabel(name: string, from: number): number {
  for (let i = from; i < name.length; i++) {
    const ch = name.charCodeAt(i);
    if (ch === 0x5c /* \ */) i++;
    else if (ch === 0x2e /* . */) return i + 1 < name.length ? i + 1 : -1;
  }
  return -1;
}

/**
 * Routes question names to the server block with the longest matching zone, as CoreDNS does for
 * blocks sharing a port. DS queries go to the highest matching zone instead, since a DS record lives
 * in the parent zone (RFC 4035 2.4), as CoreDNS routes them.
 */
export class ZoneRouter<T> {
  private readonly routes = new Map<string, ZoneRoute<T>>();
  private readonly root: ZoneRoute<T> | undefined;

  /** Throws when a zone appears twice (CoreDNS: "cannot serve ... multiple times"). */
  constructor(entries: readonly ZoneEntry<T>[]) {
    for (const { zones, target } of entries) {
      for (const zone of zones) {
        const normal = normalizeName(zone);
        if (this.routes.has(normal)) throw new Error(`zone ${normal} is defined more than once on this port`);
        this.routes.set(normal, { zone: normal, target });
      }
    }
    this.root = this.routes.get('.');
  }

  /** The zones this router knows. */
  get zones(): string[] {
    return [...this.routes.keys()];
  }

  /** Routes a normalised name; undefined means REFUSED. */
  route(name: string, type: RRType): ZoneRoute<T> | undefined {
    if (this.routes.size === 1 && this.root !== undefined) return this.root;
    let dsRoute: ZoneRoute<T> | undefined;
    for (let offset = 0; offset !== -1 && name !== '.'; offset = nextLabel(name, offset)) {
      const route = this.routes.get(offset === 0 ? name : name.slice(offset));
      if (route === undefined) continue;
      if (type !== 'DS') return route;
      // For DS keep climbing: the parent, if we serve it, holds the record (CoreDNS does the same).
      dsRoute = route;
    }
    return dsRoute ?? this.root;
  }
}

/**
 * The longest of `zones` that contains `name` (both normalised), or undefined: how a plugin
 * decides whether a query is in its zones (CoreDNS's `plugin.Zones.Matches`).
 */
export function matchZone(zones: readonly string[], name: string): string | undefined {
  let best: string | undefined;
  for (const zone of zones) {
    if ((zone === '.' || isSubdomain(name, zone)) && (best === undefined || zone.length > best.length))
      best = zone;
  }
  return best;
}

/**
 * Limits a middleware to names under `zones`; other queries pass on untouched. The usual shape
 * of a plugin that owns some zones: `withinZones(zones, answerFromMyData)`.
 */
export function withinZones(zones: readonly string[], handle: Middleware): Middleware {
  const normal = normalizeZones(zones);
  return (ctx, next) => (matchZone(normal, ctx.question.name) === undefined ? next() : handle(ctx, next));
}
