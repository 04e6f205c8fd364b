/**
 * Kubernetes manifests (multi-document YAML or JSON, `kind: List` included) -> API objects.
 * Uses js-yaml directly: `@kubernetes/client-node` would cost half a second and ~75 MB to load.
 * @module
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { loadAll } from 'js-yaml';
import type { KubernetesObject } from './types.js';

function isObject(value: unknown): value is KubernetesObject & { items?: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function flatten(document: unknown, out: KubernetesObject[]): void {
  if (Array.isArray(document)) {
    for (const item of document) flatten(item, out);
    return;
  }
  if (!isObject(document)) return;
  // `kind: List` (kubectl get -o yaml) and typed lists (`ServiceList`) wrap their objects in `items`;
  // items of a typed list carry no kind of their own.
  if (typeof document.kind === 'string' && document.kind.endsWith('List') && Array.isArray(document.items)) {
    const itemKind = document.kind === 'List' ? undefined : document.kind.slice(0, -'List'.length);
    for (const item of document.items) {
      if (isObject(item))
        out.push(item.kind === undefined && itemKind !== undefined ? { ...item, kind: itemKind } : item);
    }
    return;
  }
  out.push(document);
}

/** Parses manifest text (YAML documents separated by `---`, or JSON). Throws on malformed YAML. */
export function parseManifests(text: string, filename?: string): KubernetesObject[] {
  const out: KubernetesObject[] = [];
  const documents = filename === undefined ? loadAll(text) : loadAll(text, null, { filename });
  for (const document of documents) flatten(document, out);
  return out;
}

const MANIFEST_FILE = /\.(ya?ml|json)$/i;

/**
 * Reads a manifest file, or every `*.yaml`, `*.yml` and `*.json` file of a directory (recursively,
 * in name order).
 */
export async function readManifests(path: string): Promise<KubernetesObject[]> {
  const info = await stat(path);
  if (!info.isDirectory()) return parseManifests(await readFile(path, 'utf8'), path);
  const out: KubernetesObject[] = [];
  const entries = (await readdir(path, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const child = join(path, entry.name);
    if (entry.isDirectory()) out.push(...(await readManifests(child)));
    else if (MANIFEST_FILE.test(entry.name))
      out.push(...parseManifests(await readFile(child, 'utf8'), child));
  }
  return out;
}
