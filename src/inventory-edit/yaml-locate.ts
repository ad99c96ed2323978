import { isMap, isScalar, type Document, type YAMLMap } from 'yaml';
import { expandHostRange, hasRange, splitHostPort } from '../inventory/ranges.js';

/** A path of mapping keys inside the document. */
export type KeyPath = string[];

/** Where a group is written: top-level key or `…children.<name>`, in document order. */
export interface GroupDef {
  name: string;
  path: KeyPath;
}

/** A `hosts:` entry: the group it is under, its key as written, and whether it is a range that only includes the host. */
export interface HostEntry {
  group: string;
  groupPath: KeyPath;
  key: string;
  range: boolean;
}

/** The mapping at `path`, or undefined when something on the way is not a mapping. */
export function mapAt(doc: Document, path: KeyPath): YAMLMap | undefined {
  const node = path.length ? doc.getIn(path, true) : doc.contents;
  return isMap(node) ? node : undefined;
}

/** The string keys of a mapping, in order. */
export function keysOf(map: YAMLMap | undefined): string[] {
  return (map?.items ?? []).flatMap((p) => (isScalar(p.key) ? [String(p.key.value)] : []));
}

/** Every place a group is written (top level or as a child), in document order. */
export function groupDefs(doc: Document): GroupDef[] {
  const out: GroupDef[] = [];
  const walk = (name: string, path: KeyPath, depth: number): void => {
    out.push({ name, path });
    if (depth > 100) return;
    for (const child of keysOf(mapAt(doc, [...path, 'children']))) walk(child, [...path, 'children', child], depth + 1);
  };
  for (const name of keysOf(mapAt(doc, []))) walk(name, [name], 0);
  return out;
}

/** Every `hosts:` entry that declares `host`, directly or through a range. */
export function hostEntries(doc: Document, host: string): HostEntry[] {
  const out: HostEntry[] = [];
  for (const def of groupDefs(doc)) {
    for (const key of keysOf(mapAt(doc, [...def.path, 'hosts']))) {
      const name = splitHostPort(key).host;
      if (name === host) out.push({ group: def.name, groupPath: def.path, key, range: false });
      else if (hasRange(name) && expandHostRange(name).hosts?.includes(host))
        out.push({ group: def.name, groupPath: def.path, key, range: true });
    }
  }
  return out;
}

/** True when the mapping at `path` has the key `key`. */
export function hasKey(doc: Document, path: KeyPath, key: string): boolean {
  return keysOf(mapAt(doc, path)).includes(key);
}
