/** One part of a host pattern: what to match and how it combines with the parts before it. */
export interface PatternPart {
  /** The part as written, e.g. `!web*` or `db[0:1]`. */
  text: string;
  op: 'union' | 'intersect' | 'exclude';
  /** The group/host expression without `!`/`&` and without a subscript. */
  expr: string;
  /** `[i]` → [i, i]; `[i:j]` → [i, j] (inclusive, like Ansible); `[i:]` → [i, undefined]. */
  subscript?: [number, number | undefined] | undefined;
}

const SUBSCRIPT = /^(.+)\[(?:(-?[0-9]+)|([0-9]+)([:-])([0-9]*))\]$/;

/** Splits a pattern like Ansible: on commas when there are any, else on colons outside `[...]`; a list is split item by item. */
export function splitPattern(pattern: string | string[]): string[] {
  if (Array.isArray(pattern)) return pattern.flatMap(splitPattern);
  const parts = pattern.includes(',')
    ? pattern.split(',')
    : /^[0-9a-fA-F]*:[0-9a-fA-F]*:[0-9a-fA-F:.]*$/.test(pattern)
      ? [pattern]
      : (pattern.match(/(?:\[[^\]]*\]|[^\s:])+/g) ?? []);
  return parts.map((p) => p.trim()).filter((p) => p);
}

/** Parses the parts and orders them as Ansible evaluates them: unions, then `&` intersections, then `!` exclusions. */
export function parsePattern(pattern: string | string[]): PatternPart[] {
  const parts = splitPattern(pattern).map(parsePart);
  const byOp = (op: PatternPart['op']): PatternPart[] => parts.filter((p) => p.op === op);
  const unions = byOp('union');
  if (unions.length === 0 && parts.length > 0) unions.push(parsePart('all'));
  return [...unions, ...byOp('intersect'), ...byOp('exclude')];
}

function parsePart(text: string): PatternPart {
  const op = text.startsWith('!') ? 'exclude' : text.startsWith('&') ? 'intersect' : 'union';
  const body = op === 'union' ? text : text.slice(1);
  const m = body.startsWith('~') ? null : SUBSCRIPT.exec(body);
  if (!m) return { text, op, expr: body };
  const [, expr = '', single, start, , end] = m;
  if (single !== undefined) return { text, op, expr, subscript: [Number(single), Number(single)] };
  return { text, op, expr, subscript: [Number(start), end ? Number(end) : undefined] };
}

/** A matcher for one expression: `~regex` (anchored at the start, like Python's re.match) or an fnmatch glob. */
export function compileExpr(expr: string): RegExp {
  if (expr.startsWith('~')) return new RegExp(expr.slice(1).replaceAll('(?P<', '(?<'), 'y');
  let re = '';
  for (let i = 0; i < expr.length; i++) {
    const c = expr.charAt(i);
    const close = c === '[' ? expr.indexOf(']', i + 2) : -1;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (close !== -1) {
      const body = expr
        .slice(i + 1, close)
        .replace(/^!/, '^')
        .replaceAll('\\', '\\\\');
      re += `[${body}]`;
      i = close;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${re})$`, 's');
}

/** Whether `re` (from compileExpr) matches `name`. */
export function matches(re: RegExp, name: string): boolean {
  re.lastIndex = 0;
  return re.test(name);
}
