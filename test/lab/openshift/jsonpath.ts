// The JSONPath templates of `oc get -o jsonpath=...` (kubectl's dialect), as far as the recovery procedures use them:
// text, {.a.b}, {.a[0]}, {.a[*].b}, {.a[?(@.k=="v")].b} (== and !=), {range EXPR}...{end}, {"literal\n"}. A path that
// selects several values prints them separated by spaces; maps and lists print as JSON.

type Node = { text: string } | { path: string } | { range: string; body: Node[] };

/** Splits a template into text and {...} actions, nesting range...end. */
function parseTemplate(t: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  let i = 0;
  while (i < t.length) {
    const open = t.indexOf('{', i);
    const top = stack[stack.length - 1] as Node[];
    if (open < 0) {
      top.push({ text: t.slice(i) });
      break;
    }
    if (open > i) top.push({ text: t.slice(i, open) });
    let close = open + 1;
    let quote = false;
    for (; close < t.length; close++) {
      const c = t[close];
      if (c === '"' && t[close - 1] !== '\\') quote = !quote;
      if (c === '}' && !quote) break;
    }
    if (close >= t.length) throw new Error(`unclosed action in template ${JSON.stringify(t)}`);
    const action = t.slice(open + 1, close).trim();
    i = close + 1;
    if (action.startsWith('"')) top.push({ text: JSON.parse(action) as string });
    else if (action.startsWith('range ')) {
      const r: Node = { range: action.slice(6).trim(), body: [] };
      top.push(r);
      stack.push(r.body);
    } else if (action === 'end') {
      if (stack.length === 1) throw new Error('{end} without {range}');
      stack.pop();
    } else top.push({ path: action });
  }
  if (stack.length !== 1) throw new Error('{range} without {end}');
  return root;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Evaluates one path (starting at `.`, `@` or `$`) against the current values. */
export function evalPath(path: string, current: unknown[]): unknown[] {
  let p = path.replace(/^[$@]/, '');
  let values = current;
  while (p.length > 0) {
    if (p.startsWith('..')) throw new Error(`recursive descent is not supported: ${path}`);
    if (p.startsWith('.')) {
      const m = /^\.([A-Za-z0-9_-]+|\*)?/.exec(p) as RegExpExecArray;
      p = p.slice(m[0].length);
      const key = m[1];
      if (key === undefined) continue; // a lone "." is the current value
      values = values.flatMap((v) =>
        key === '*' ? (isObj(v) ? Object.values(v) : Array.isArray(v) ? v : []) : isObj(v) && key in v ? [v[key]] : [],
      );
      continue;
    }
    if (p.startsWith('[')) {
      const end = matchingBracket(p);
      const inner = p.slice(1, end).trim();
      p = p.slice(end + 1);
      if (inner === '*') {
        values = values.flatMap((v) => (Array.isArray(v) ? v : isObj(v) ? Object.values(v) : []));
        continue;
      }
      if (/^-?\d+$/.test(inner)) {
        const n = Number(inner);
        values = values.flatMap((v) => (Array.isArray(v) && v.at(n) !== undefined ? [v.at(n)] : []));
        continue;
      }
      const f = /^\?\(\s*@((?:\.[A-Za-z0-9_-]+)+)\s*(?:(==|!=)\s*(?:"((?:[^"\\]|\\.)*)"|'([^']*)'|(-?[\d.]+|true|false)))?\s*\)$/.exec(
        inner,
      );
      if (!f) throw new Error(`unsupported filter [${inner}] in ${path}`);
      const [, field = '', op, dq, sq, lit] = f;
      const want: unknown =
        dq !== undefined ? JSON.parse(`"${dq}"`) : sq !== undefined ? sq : lit === undefined ? undefined : JSON.parse(lit);
      values = values
        .flatMap((v) => (Array.isArray(v) ? v : []))
        .filter((item) => {
          const got = evalPath(field, [item]);
          if (op === undefined) return got.length > 0;
          const eq = got.length > 0 && got[0] === want;
          return op === '==' ? eq : !eq;
        });
      continue;
    }
    throw new Error(`cannot parse ${JSON.stringify(p)} in ${path}`);
  }
  return values;
}

function matchingBracket(p: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (quote) {
      if (c === quote && p[i - 1] !== '\\') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') {
      depth--;
      if (depth === 0) return i;
    }
  }
  throw new Error(`unbalanced brackets in ${p}`);
}

const show = (v: unknown): string => (typeof v === 'string' ? v : JSON.stringify(v));

function run(nodes: Node[], current: unknown): string {
  let out = '';
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('path' in n) out += evalPath(n.path, [current]).map(show).join(' ');
    else for (const v of evalPath(n.range, [current])) out += run(n.body, v);
  }
  return out;
}

/** Renders a kubectl JSONPath template against an object. */
export function jsonpath(template: string, obj: unknown): string {
  return run(parseTemplate(template), obj);
}
