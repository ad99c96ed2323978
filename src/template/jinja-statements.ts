// Jinja statements ({% if %}, {% for %}, {% set %}) and comments ({# #}) translated into Handlebars blocks that the
// splitter emits: `{% if e %}` is `{{#if (slot)}}`, `{% for x in e %}` is `{{#tsplay_for (slot) as |x loop|}}`,
// `{% set x = e %}` is the mustache `{{tsplay_jinja_slot N}}` of a slot in mode "set". Whitespace as ansible-core's
// Jinja2 environment: `{%-`/`-%}` strip (Handlebars `~`), trim_blocks drops the newline right after `%}` and `#}`.
import { FORBIDDEN_KEYS } from '../expr/values.js';

/** Names never bound by a template (prototype members). */
const FORBIDDEN_SEGMENTS: ReadonlySet<string> = new Set([...FORBIDDEN_KEYS, ...Object.getOwnPropertyNames(Object.prototype)]);

/** Name of the internal block helper that runs a Jinja `for` loop: `{{#tsplay_for (ITERABLE) "k" "v" as |k v loop|}}`. */
export const FOR_HELPER = 'tsplay_for';

/** One parsed statement: what it opens, continues or closes. */
export type Statement =
  | { kind: 'if' | 'elif'; expr: string }
  | { kind: 'else' | 'endif' | 'endfor' }
  | { kind: 'for'; targets: string[]; expr: string }
  | { kind: 'set'; target: string; expr: string }
  | { kind: 'refused'; message: string; hint?: string };

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Why a statement tsplay does not translate is refused, with what to write instead. */
function refused(word: string, body: string): Statement {
  switch (word) {
    case 'raw':
    case 'endraw':
      return { kind: 'refused', message: `Jinja {% ${word} %} is not supported`, hint: 'write \\{{ to print "{{" literally' };
    case 'set':
      return {
        kind: 'refused',
        message: `Jinja {% ${body} %} is not supported: tsplay takes {% set NAME = EXPRESSION %} only`,
        hint: 'assign one name; for a block of text, define the variable in vars: or with set_fact',
      };
    case 'endset':
      return {
        kind: 'refused',
        message: 'Jinja {% set NAME %}...{% endset %} blocks are not supported',
        hint: 'define the variable in vars: or with set_fact',
      };
    default:
      return {
        kind: 'refused',
        message: `Jinja statement {% ${word} %} is not supported (tsplay runs {% if %}/{% elif %}/{% else %}/{% endif %}, {% for %}/{% endfor %} and {% set %})`,
        hint:
          word === 'macro' || word === 'call'
            ? 'define the value in vars: and use {{ }} where it is needed'
            : 'templates also have the Handlebars blocks {{#if}}, {{#unless}}, {{#each}}, {{#with}}',
      };
  }
}

/** Parses the inside of `{% ... %}` (whitespace-control marks already removed). */
export function parseStatement(body: string): Statement {
  const text = body.trim();
  const word = /^\w+/.exec(text)?.[0] ?? '';
  const rest = text.slice(word.length).trim();
  switch (word) {
    case 'if':
    case 'elif':
      return rest ? { kind: word, expr: rest } : { kind: 'refused', message: `{% ${word} %} needs a condition` };
    case 'else':
    case 'endif':
    case 'endfor':
      return rest ? { kind: 'refused', message: `{% ${word} %} takes nothing after it (found "${rest}")` } : { kind: word };
    case 'for': {
      const m = /^\(?\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*,?\s*\)?\s+in\s+([\s\S]+)$/.exec(rest);
      if (!m?.[1] || !m[2])
        return {
          kind: 'refused',
          message: `invalid {% for %}: write {% for NAME in EXPRESSION %} or {% for KEY, VALUE in DICT.items() %}`,
        };
      if (/\srecursive\s*$/.test(m[2]))
        return { kind: 'refused', message: 'recursive Jinja loops ({% for ... recursive %}) are not supported' };
      const targets = m[1].split(',').map((t) => t.trim());
      const bad = targets.find((t) => FORBIDDEN_SEGMENTS.has(t));
      if (bad !== undefined) return { kind: 'refused', message: `"${bad}" cannot be a loop variable` };
      return { kind: 'for', targets, expr: m[2] };
    }
    case 'set': {
      const m = /^([A-Za-z_]\w*)\s*=(?!=)\s*([\s\S]+)$/.exec(rest);
      if (!m?.[1] || !m[2] || !NAME.test(m[1])) return refused(word, text);
      if (FORBIDDEN_SEGMENTS.has(m[1])) return { kind: 'refused', message: `"${m[1]}" cannot be assigned with {% set %}` };
      return { kind: 'set', target: m[1], expr: m[2] };
    }
    default:
      return refused(word || text, text);
  }
}

/** True when a template has a Jinja statement or comment (`{#` after `$` is shell's `${#x}`): the template is then Jinja throughout. */
export function hasStatements(s: string): boolean {
  for (let at = s.indexOf('{'); at >= 0; at = s.indexOf('{', at + 1)) {
    const next = s.charAt(at + 1);
    if (next === '%' && s.indexOf('%}', at + 2) >= 0) return true;
    if (next === '#' && s.charAt(at - 1) !== '$' && s.indexOf('#}', at + 2) >= 0) return true;
  }
  return false;
}

/** A problem with a statement, at its 1-based line in the template. */
export interface StatementIssue {
  message: string;
  hint?: string | undefined;
  line: number;
}

/** Makes the placeholder of a Jinja expression (`tsplay_jinja_slot N`), or undefined when it does not parse (already reported). */
export type SlotMaker = (
  src: string,
  mode: 'test' | 'value' | 'set',
  target?: string,
) => { placeholder: string; loopFilter: boolean } | undefined;

interface Open {
  kind: 'if' | 'for';
  line: number;
  sawElse: boolean;
  /** A wrong closing statement already named this block. */
  reported?: boolean;
}

/** Tracks the open `if`/`for` blocks of one template and turns each statement into the inside of a Handlebars mustache. */
export class StatementTranslator {
  readonly issues: StatementIssue[] = [];
  /** Names the template's own statements bind (set targets, loop variables, `loop`): never reported as undefined. */
  readonly bound = new Set<string>();
  private readonly open: Open[] = [];

  /** The Handlebars text between `{{` and `}}` for one statement (`#if (tsplay_jinja_slot 0)`), or '' after a problem. */
  translate(body: string, line: number, slot: SlotMaker): string {
    const st = parseStatement(body);
    const top = this.open.at(-1);
    const problem = (message: string, hint?: string): string => {
      this.issues.push({ message, hint, line });
      return '';
    };
    switch (st.kind) {
      case 'refused':
        return problem(st.message, st.hint);
      case 'if': {
        this.open.push({ kind: 'if', line, sawElse: false });
        const p = slot(st.expr, 'test');
        return p ? `#if (${p.placeholder})` : '';
      }
      case 'elif': {
        if (top?.kind !== 'if' || top.sawElse)
          return problem(`{% elif %} without an open {% if %}${top?.sawElse ? ' (it comes after {% else %})' : ''}`);
        const p = slot(st.expr, 'test');
        return p ? `else if (${p.placeholder})` : '';
      }
      case 'else':
        if (!top || top.sawElse)
          return problem(`{% else %} without an open {% if %} or {% for %}${top?.sawElse ? ' (a second {% else %})' : ''}`);
        top.sawElse = true;
        return 'else';
      case 'endif':
      case 'endfor': {
        const want = st.kind === 'endif' ? 'if' : 'for';
        if (top?.kind !== want) {
          if (top) top.reported = true;
          return problem(
            `{% ${st.kind} %} without an open {% ${want} %}${top ? ` (the {% ${top.kind} %} of line ${top.line} is still open)` : ''}`,
          );
        }
        this.open.pop();
        return want === 'if' ? '/if' : `/${FOR_HELPER}`;
      }
      case 'for': {
        this.open.push({ kind: 'for', line, sawElse: false });
        const p = slot(st.expr, 'value');
        if (!p) return '';
        if (p.loopFilter)
          return problem(
            'a loop filter ({% for x in xs if CONDITION %}) is not supported',
            'filter the list: {% for x in xs | select(...) %}, or put {% if %} inside the loop',
          );
        const bad = st.targets.find((t) => t === 'loop');
        if (bad) return problem('"loop" cannot be a loop variable (it is the loop object: loop.index, loop.first...)');
        for (const t of [...st.targets, 'loop']) this.bound.add(t);
        return `#${FOR_HELPER} (${p.placeholder}) ${st.targets.map((t) => `"${t}"`).join(' ')} as |${[...st.targets, 'loop'].join(' ')}|`;
      }
      case 'set': {
        this.bound.add(st.target);
        const p = slot(st.expr, 'set', st.target);
        return p ? p.placeholder : '';
      }
    }
  }

  /** Problems for the blocks still open at the end of the template. */
  finish(): StatementIssue[] {
    for (const o of this.open)
      if (!o.reported) this.issues.push({ message: `{% ${o.kind} %} is not closed with {% end${o.kind} %}`, line: o.line });
    this.open.length = 0;
    return this.issues;
  }
}
