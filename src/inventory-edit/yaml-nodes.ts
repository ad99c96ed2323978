import { isMap, isPair, isScalar, Scalar, YAMLMap, type Document, type Node } from 'yaml';
import { IntegralFloat } from '../inventory/py-float.js';
import type { KeyPath } from './yaml-locate.js';

/** The mapping at `path`, creating missing keys and turning empty (null) values on the way into mappings. */
export function ensureMap(doc: Document, path: KeyPath): YAMLMap {
  if (!isMap(doc.contents)) doc.contents = new YAMLMap() as unknown as typeof doc.contents;
  let map = doc.contents as YAMLMap;
  for (const key of path) {
    const pair = map.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === key);
    const next = new YAMLMap();
    if (!pair) map.add(doc.createPair(key, next));
    else if (isMap(pair.value)) {
      map = pair.value;
      continue;
    } else pair.value = next;
    next.flow = map.flow;
    map = next;
  }
  return map;
}

/** Sets `key` in a mapping, replacing the value in place when the key is already there (keeps its comments). */
export function setKey(doc: Document, map: YAMLMap, key: string, value: unknown, quoted = false): void {
  const pair = map.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  const node = value === null ? emptyValue(map) : value instanceof IntegralFloat ? floatNode(value.value) : (doc.createNode(value) as Node);
  // a string whose plain form YAML 1.1 would read differently (0644, 1.10, yes) is written in double quotes
  if (quoted && isScalar(node)) node.type = 'QUOTE_DOUBLE';
  if (pair && isScalar(pair.value)) {
    node.comment = pair.value.comment;
    node.commentBefore = pair.value.commentBefore;
  }
  if (pair) pair.value = node;
  else map.add(doc.createPair(key, node));
}

/** Removes `key` from a mapping; true when it was there. */
export function deleteKey(map: YAMLMap, key: string): boolean {
  const i = map.items.findIndex((p) => isScalar(p.key) && String(p.key.value) === key);
  if (i === -1) return false;
  map.items.splice(i, 1);
  return true;
}

/** Replaces the mapping at `path` by an empty value (`key:`) when nothing is left in it. */
export function collapseIfEmpty(doc: Document, path: KeyPath): void {
  const parentPath = path.slice(0, -1);
  const key = path[path.length - 1];
  const parent = parentPath.length ? doc.getIn(parentPath, true) : doc.contents;
  if (key === undefined || !isMap(parent)) return;
  const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
  if (pair && isMap(pair.value) && pair.value.items.length === 0) pair.value = emptyValue(parent);
}

/** A float with an integral value written as a float (3.0), so it reads back as one. */
function floatNode(n: number): Scalar {
  const s = new Scalar(n);
  s.minFractionDigits = 1;
  return s;
}

/** A null value written as nothing (`host:`) in block mappings, `null` in flow ones. */
function emptyValue(parent: YAMLMap): Scalar {
  const s = new Scalar(null);
  if (!parent.flow) s.source = '';
  return s;
}
