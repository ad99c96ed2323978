import { LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, visit, type Document, type Node } from 'yaml';
import type { Problem, SourceLocation } from '../errors/problem.js';

/** A parsed YAML file that can map any path inside it back to `file:line:col`. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
}

/** Parses YAML text, returning the document and every syntax problem with its location. */
export function parseYaml(file: string, text: string): { source: YamlSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const problems: Problem[] = [...doc.errors, ...doc.warnings].map((e) => {
    const pos = e.linePos?.[0] ?? lineCounter.linePos(e.pos[0]);
    return { message: yamlMessage(e.code, e.message, text, e.pos[0]), loc: { file, line: pos.line, col: pos.col } };
  });
  visit(doc, {
    Pair(_key, pair) {
      if (isMap(pair.key) && pair.key.flow) {
        const pos = lineCounter.linePos(pair.key.range?.[0] ?? 0);
        problems.push({ message: 'YAML: a value that starts with "{{" must be quoted, e.g. "{{ x }}" (it was read as a mapping)', loc: { file, line: pos.line, col: pos.col } });
      }
    },
  });
  return { source: { file, doc, lineCounter }, problems };
}

function yamlMessage(code: string, message: string, text: string, offset: number): string {
  const first = message.split('\n')[0] ?? message;
  const lineStart = text.lastIndexOf('\n', offset) + 1;
  const line = text.slice(lineStart, text.indexOf('\n', offset) === -1 ? undefined : text.indexOf('\n', offset));
  if (/:\s*\{\{/.test(line) || /^\s*-\s*\{\{/.test(line)) {
    return `YAML: ${first} (a value that starts with "{{" must be quoted, e.g. "{{ x }}")`;
  }
  return `YAML ${code}: ${first}`;
}

/** Location of the offset in the source. */
export function locateOffset(src: YamlSource, offset: number): SourceLocation {
  const pos = src.lineCounter.linePos(offset);
  return { file: src.file, line: pos.line, col: pos.col };
}

/** Location of a node (its first character), or of the document start when the node has no range. */
export function locateNode(src: YamlSource, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0] ?? 0;
  return locateOffset(src, offset);
}

/**
 * Location of the value at `path` (keys and sequence indexes); with `key: true` the location of the map key
 * itself. Falls back to the deepest existing ancestor when the path does not exist.
 */
export function locatePath(src: YamlSource, path: readonly (string | number)[], opts: { key?: boolean } = {}): SourceLocation {
  let node: unknown = src.doc.contents;
  let best: Node | null = (src.doc.contents as Node | null) ?? null;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg));
      if (!pair) break;
      if (last && opts.key && pair.key && isScalar(pair.key)) return locateNode(src, pair.key);
      node = pair.value;
      if (node && (node as Node).range) best = node as Node;
      else if (isScalar(pair.key)) best = pair.key;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      best = node as Node;
    } else break;
  }
  return locateNode(src, best);
}
