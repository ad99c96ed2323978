// Run-time parts of Jinja statements: the `{% for %}` block helper (Jinja's `loop` object, `k, v` unpacking, the
// loop's own scope for `{% set %}`), and ansible-core's trailing-newline rule.
import type Handlebars from 'handlebars';
import { isMapping, typeName } from '../expr/values.js';
import { ValueProblem } from '../errors/value-problem.js';
export { ownedCopy } from '../expr/owned.js';

/** Key of the render data that holds the template's `{% set %}` variables. */
export const LOCALS = 'tsplayLocals';

/** What Jinja iterates: a list's elements, a mapping's keys, a string's characters. */
function iterationItems(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (isMapping(v)) return Object.keys(v);
  if (typeof v === 'string') return [...v];
  if (v === null || v === undefined) throw new ValueProblem(`{% for %} over ${v === null ? 'null (None)' : 'nothing'}: it is not iterable`);
  throw new ValueProblem(`{% for %} over ${typeName(v)}: it is not iterable`);
}

/** Jinja's `loop` for element `i` of `items`. */
function loopObject(items: unknown[], i: number): Record<string, unknown> {
  const n = items.length;
  const loop: Record<string, unknown> = {
    index: i + 1,
    index0: i,
    revindex: n - i,
    revindex0: n - i - 1,
    first: i === 0,
    last: i === n - 1,
    length: n,
    depth: 1,
    depth0: 0,
  };
  if (i > 0) loop['previtem'] = items[i - 1];
  if (i < n - 1) loop['nextitem'] = items[i + 1];
  return loop;
}

/** The block parameters of one element: the element (or its parts, for `k, v`), then `loop`. */
function unpack(item: unknown, targets: number): unknown[] {
  if (targets <= 1) return [item];
  if (!Array.isArray(item) || item.length !== targets) {
    throw new ValueProblem(
      `{% for %} unpacks ${targets} names from each element, but an element is ${Array.isArray(item) ? `a list of ${item.length}` : typeName(item)} (iterate DICT.items() for KEY, VALUE)`,
    );
  }
  return item;
}

/**
 * `{{#tsplay_for ITERABLE "x" as |x loop|}}`: the body once per element, with the element and `loop` as block
 * parameters; `{% set %}` inside the body sees the outer variables and changes them only for that iteration, as in
 * Jinja. An empty iterable renders the `{% else %}` part.
 */
export function jinjaFor(hb: typeof Handlebars, context: unknown, all: unknown[]): string {
  const options = all.at(-1) as Handlebars.HelperOptions;
  const [iterable, ...names] = all.slice(0, -1);
  const items = iterationItems(iterable);
  if (items.length === 0) return options.inverse(context);
  const data: unknown = options.data;
  const outer = isMapping(data) && isMapping(data[LOCALS]) ? data[LOCALS] : {};
  let out = '';
  items.forEach((item, i) => {
    const frame = hb.createFrame(data) as Record<string, unknown>;
    const locals = Object.assign(Object.create(null) as Record<string, unknown>, outer);
    for (const n of [...names, 'loop']) delete locals[String(n)];
    frame[LOCALS] = locals;
    out += options.fn(context, { data: frame, blockParams: [...unpack(item, names.length), loopObject(items, i)] });
  });
  return out;
}

const trailing = (s: string): number => s.length - s.replace(/\n+$/, '').length;

/** ansible-core keeps a template's trailing newlines: the result ends with at least as many as the template. */
export function keepTrailingNewlines(template: string, text: string): string {
  const missing = trailing(template) - trailing(text);
  return missing > 0 ? text + '\n'.repeat(missing) : text;
}
