/** A map from origins to zones with longest-suffix lookup and atomic replacement. */
import { normalizeName } from '../wire/index.js';
import { parentName } from './names.js';
import type { Zone, ZoneListener, ZoneProvider, ZoneStore } from './types.js';

class MapZoneStore implements ZoneStore {
  private readonly zones = new Map<string, Zone>();
  private readonly listeners = new Set<ZoneListener>();

  get size(): number {
    return this.zones.size;
  }

  find(qname: string): Zone | undefined {
    if (this.zones.size === 0) return undefined;
    // Walk up the labels: a map hit per label beats comparing suffixes against every origin.
    for (let name: string | undefined = normalizeName(qname); name !== undefined; name = parentName(name)) {
      const zone = this.zones.get(name);
      if (zone !== undefined) return zone;
    }
    return undefined;
  }

  get(origin: string): Zone | undefined {
    return this.zones.get(normalizeName(origin));
  }

  origins(): string[] {
    return [...this.zones.keys()].sort();
  }

  set(origin: string, zone: Zone): void {
    const key = normalizeName(origin);
    this.zones.set(key, zone);
    this.notify(key, zone);
  }

  delete(origin: string): boolean {
    const key = normalizeName(origin);
    const had = this.zones.delete(key);
    if (had) this.notify(key, undefined);
    return had;
  }

  subscribe(listener: ZoneListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private notify(origin: string, zone: Zone | undefined): void {
    for (const listener of this.listeners) listener(origin, zone);
  }
}

/** An empty {@link ZoneStore}. */
export function createZoneStore(zones: Iterable<Zone> = []): ZoneStore {
  const store = new MapZoneStore();
  for (const zone of zones) store.set(zone.origin, zone);
  return store;
}

/** Whether a plugin (from `env.chain`) serves zones through {@link ZoneProvider}. */
export function isZoneProvider(plugin: unknown): plugin is ZoneProvider {
  return (
    typeof plugin === 'object' &&
    plugin !== null &&
    typeof (plugin as { zones?: unknown }).zones === 'function'
  );
}
