// PyYAML reads a quoted scalar whose continuation line starts with a tab (the leading white space of a continuation
// line is folded away); the `yaml` package refuses it. This pass rewrites only that leading white space, as spaces.
import { isScalar, parseDocument, visit } from 'yaml';

/** Where a quoted scalar's continuation lines started with a tab (1-based line numbers), and the text with those tabs as spaces. */
export interface QuotedTabs {
  text: string;
  lines: number[];
}

/**
 * The text with the leading tabs of every quoted scalar's continuation lines replaced by spaces (the scalar's value is
 * unchanged: that white space is stripped by YAML either way). Driven by the parser's "missing closing quote" error, so
 * only a scalar the parser itself opened is touched; the text is returned as is when nothing is to be rewritten.
 */
export function quotedTabsAsSpaces(source: string): QuotedTabs {
  const lines: number[] = [];
  let text = source;
  if (!/\n[ \t]*\t/.test(text)) return { text, lines };
  for (let round = 0; round < 1000; round++) {
    const doc = parseDocument(text, { prettyErrors: false });
    const error = doc.errors.find((e) => e.code === 'MISSING_CHAR' && /quote/.test(e.message));
    if (!error) break;
    let open: number | undefined;
    visit(doc, {
      Scalar(_key, node) {
        const [start, end] = node.range ?? [0, 0];
        if (isScalar(node) && (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') && start < error.pos[0] && end >= error.pos[0])
          open = start;
      },
    });
    if (open === undefined) break;
    const next = rewriteScalar(text, open, lines);
    if (next === text) break;
    text = next;
  }
  return { text, lines };
}

/** The quoted scalar opened at `open`, with the tabs leading its continuation lines as spaces (up to its closing quote). */
function rewriteScalar(text: string, open: number, lines: number[]): string {
  const q = text[open];
  const col = open - text.lastIndexOf('\n', open - 1); // 1-based column of the opening quote
  let out = text.slice(0, open + 1);
  let i = open + 1;
  while (i < text.length) {
    const c = text[i];
    if (q === '"' && c === '\\' && text[i + 1] !== '\n') {
      out += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c === q) {
      if (q === "'" && text[i + 1] === "'") {
        out += "''";
        i += 2;
        continue;
      }
      return out + text.slice(i);
    }
    if (c === '\n') {
      const m = /^[ \t]*/.exec(text.slice(i + 1, i + 200));
      const lead = m?.[0] ?? '';
      out += '\n';
      i += 1;
      if (lead.includes('\t')) {
        lines.push(text.slice(0, i).split('\n').length);
        out += ' '.repeat(Math.max(col, lead.length));
        i += lead.length;
      }
      continue;
    }
    out += c;
    i += 1;
  }
  return text; // never closed: a real error, left for the parser to report
}
