import {
  LineCounter,
  parseDocument,
  isMap,
  isPair,
  isScalar,
  isSeq,
  visit,
  type Document,
  type DocumentOptions,
  type Node,
  type ParseOptions,
  type SchemaOptions,
  type YAMLError,
} from 'yaml';
import type { Problem, SourceLocation } from '../errors/problem.js';

/** A parsed YAML file that can map any path inside it back to `file:line:col`. */
export interface YamlSource {
  file: string;
  doc: Document.Parsed;
  lineCounter: LineCounter;
  /** Keys of the canonical form written under another name (JSON of the canonical path -> the key as written). */
  aliases?: Map<string, string>;
}

/** Parses YAML text (YAML 1.2 unless `options` say otherwise), returning the document and every syntax problem with its location. */
export function parseYaml(
  file: string,
  text: string,
  options: DocumentOptions & SchemaOptions & ParseOptions = {},
): { source: YamlSource; problems: Problem[] } {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, ...options });
  const at = (offset: number): SourceLocation => {
    const pos = lineCounter.linePos(offset);
    return { file, line: pos.line, col: pos.col };
  };
  const problems: Problem[] = [];
  // After the first real syntax error the parser's view of the rest is unreliable (one tab gives three errors):
  // report that one, plus duplicate keys (which do not derail parsing), described by us with both places.
  const [first] = [...doc.errors, ...doc.warnings].filter((e) => e.code !== 'DUPLICATE_KEY').sort((a, b) => a.pos[0] - b.pos[0]);
  if (first) problems.push(syntaxProblem(doc, first, text, at));
  problems.push(...duplicateKeys(doc, at));
  visit(doc, {
    Pair(_key, pair) {
      if (isMap(pair.key) && pair.key.flow) {
        problems.push({
          message: 'YAML: a value that starts with "{{" must be quoted, e.g. "{{ x }}" (it was read as a mapping)',
          loc: at(pair.key.range?.[0] ?? 0),
        });
      }
    },
  });
  problems.sort((a, b) => (a.loc?.line ?? 0) - (b.loc?.line ?? 0) || (a.loc?.col ?? 0) - (b.loc?.col ?? 0));
  return { source: { file, doc, lineCounter }, problems };
}

function syntaxProblem(doc: Document.Parsed, e: YAMLError, text: string, at: (offset: number) => SourceLocation): Problem {
  const offset = e.pos[0];
  if (e.code === 'TAB_AS_INDENT')
    return { message: 'YAML: a tab is used for indentation (YAML allows only spaces there)', loc: at(offset), hint: 'indent with spaces' };
  if (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) {
    const open = unclosedQuote(doc, offset);
    if (open !== undefined) {
      const q = text[open] ?? '"';
      return {
        message: `YAML: the string opened with ${q} here is never closed`,
        loc: at(open),
        hint: `end it with ${q} on the same line, or quote it differently`,
      };
    }
  }
  const loc = at(offset);
  const pos = e.linePos?.[0];
  return { message: yamlMessage(e.code, e.message, text, offset), loc: pos ? { ...loc, line: pos.line, col: pos.col } : loc };
}

/** Start of the quoted scalar that runs up to an "missing closing quote" error. */
function unclosedQuote(doc: Document.Parsed, errorOffset: number): number | undefined {
  let found: number | undefined;
  visit(doc, {
    Scalar(_key, node) {
      const [start, end] = node.range ?? [0, 0];
      if ((node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && start < errorOffset && end >= errorOffset) found = start;
    },
  });
  return found;
}

/** Every key written twice in one mapping, located at the second one and naming the line of the first. */
function duplicateKeys(doc: Document.Parsed, at: (offset: number) => SourceLocation): Problem[] {
  const problems: Problem[] = [];
  visit(doc, {
    Map(_key, map) {
      const seen = new Map<string, number>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        const name = String(pair.key.value);
        const offset = pair.key.range?.[0] ?? 0;
        const earlier = seen.get(name);
        if (earlier === undefined) seen.set(name, offset);
        else
          problems.push({
            message: `YAML: duplicate key "${name}" (already set at line ${at(earlier).line})`,
            loc: at(offset),
            hint: 'keep one of them',
          });
      }
    },
  });
  return problems;
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
      const written = src.aliases?.get(JSON.stringify(path.slice(0, i + 1))) ?? String(seg);
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && (String(p.key.value) === String(seg) || String(p.key.value) === written),
      );
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
