// YAML text as Ansible's to_yaml / to_nice_yaml write it (PyYAML's emitter): sorted keys, sequences in mappings
// not indented, collections of scalars in flow style for to_yaml, PyYAML's choice of plain / 'single' / "double"
// quoting (YAML 1.1: 'yes', '0777', '1:30' are quoted), and folding at 80 columns.
import { pyStr } from './python.js';
import { isMapping, typeName } from './values.js';
import { ValueProblem } from '../errors/value-problem.js';

/** How to write: indentation, leaf collections in flow style (to_yaml) or not (to_nice_yaml), key order. */
export interface YamlDumpOptions {
  indent: number | undefined;
  flowLeaves: boolean;
  sortKeys: boolean;
}

const WIDTH = 80;
const BREAKS = '\n\x85\u2028\u2029';
const SPACE_OR_BREAK = `\0 \t\r${BREAKS}`;

/** Plain text that YAML 1.1 (PyYAML's resolver) would read as something other than a string. */
const IMPLICIT = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:<<)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:=)$/,
];

interface Analysis {
  empty: boolean;
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
}

/** PyYAML's analyze_scalar: which styles can write this text. */
function analyze(s: string): Analysis {
  if (s === '') return { empty: true, multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true };
  let flowInd = s.startsWith('---') || s.startsWith('...');
  let blockInd = flowInd;
  let lineBreaks = false;
  let special = false;
  let [leadSpace, leadBreak, trailSpace, trailBreak, breakSpace, spaceBreak, prevSpace, prevBreak] = [
    false,
    false,
    false,
    false,
    false,
    false,
    false,
    false,
  ];
  const chars = [...s];
  let precededByWs = true;
  let followedByWs = chars.length === 1 || SPACE_OR_BREAK.includes(chars[1] ?? '');
  chars.forEach((ch, i) => {
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true;
      if ('?:'.includes(ch)) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true;
      if (ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    const c = ch.codePointAt(0) ?? 0;
    if (!(ch === '\n' || (c >= 0x20 && c <= 0x7e))) {
      const printable =
        (c === 0x85 || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c < 0x10ffff)) && c !== 0xfeff;
      if (!printable) special = true;
    }
    if (ch === ' ') {
      if (i === 0) leadSpace = true;
      if (i === chars.length - 1) trailSpace = true;
      if (prevBreak) breakSpace = true;
      [prevSpace, prevBreak] = [true, false];
    } else if (BREAKS.includes(ch)) {
      if (i === 0) leadBreak = true;
      if (i === chars.length - 1) trailBreak = true;
      if (prevSpace) spaceBreak = true;
      [prevSpace, prevBreak] = [false, true];
    } else {
      [prevSpace, prevBreak] = [false, false];
    }
    precededByWs = SPACE_OR_BREAK.includes(ch);
    followedByWs = i + 2 >= chars.length || SPACE_OR_BREAK.includes(chars[i + 2] ?? '');
  });
  let flowPlain = true;
  let blockPlain = true;
  let singleQuoted = true;
  if (leadSpace || leadBreak || trailSpace || trailBreak) flowPlain = blockPlain = false;
  if (breakSpace) flowPlain = blockPlain = singleQuoted = false;
  if (spaceBreak || special) flowPlain = blockPlain = singleQuoted = false;
  if (lineBreaks) flowPlain = blockPlain = false;
  if (flowInd) flowPlain = false;
  if (blockInd) blockPlain = false;
  return { empty: false, multiline: lineBreaks, flowPlain, blockPlain, singleQuoted };
}

const DOUBLE_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\v': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

/** A small port of PyYAML's Emitter for plain data (block and flow collections, the three scalar styles). */
class Emitter {
  out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent: number | undefined;
  private readonly indents: Array<number | undefined> = [];
  private flowLevel = 0;

  constructor(private readonly o: { best: number; flowLeaves: boolean; sortKeys: boolean }) {}

  private write(data: string): void {
    this.out += data;
    this.column += data.length;
  }

  private lineBreak(data = '\n'): void {
    this.whitespace = true;
    this.indention = true;
    this.column = 0;
    this.out += data;
  }

  private indicator(ind: string, needWs: boolean, whitespace = false, indention = false): void {
    this.write(this.whitespace || !needWs ? ind : ` ${ind}`);
    this.whitespace = whitespace;
    this.indention = this.indention && indention;
  }

  private writeIndent(): void {
    const indent = this.indent ?? 0;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) this.lineBreak();
    if (this.column < indent) {
      this.whitespace = true;
      this.write(' '.repeat(indent - this.column));
    }
  }

  private increase(flow: boolean, indentless = false): void {
    this.indents.push(this.indent);
    if (this.indent === undefined) this.indent = flow ? this.o.best : 0;
    else if (!indentless) this.indent += this.o.best;
  }

  private pop(): void {
    this.indent = this.indents.pop();
  }

  private isFlow(v: unknown[] | Record<string, unknown>): boolean {
    const items = Array.isArray(v) ? v : Object.values(v);
    return this.flowLevel > 0 || items.length === 0 || (this.o.flowLeaves && items.every((x) => !Array.isArray(x) && !isMapping(x)));
  }

  private entries(m: Record<string, unknown>): Array<[string, unknown]> {
    const e = Object.entries(m);
    return this.o.sortKeys ? e.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : e;
  }

  /** Writes one value; `ctx` says where it sits (PyYAML's mapping / simple-key contexts). */
  node(v: unknown, ctx: { mapping?: boolean; simpleKey?: boolean }): void {
    if (Array.isArray(v)) {
      if (this.isFlow(v)) this.flowSequence(v);
      else this.blockSequence(v, Boolean(ctx.mapping));
    } else if (isMapping(v)) {
      if (this.isFlow(v)) this.flowMapping(v);
      else this.blockMapping(v);
    } else {
      this.increase(true);
      this.scalar(v, Boolean(ctx.simpleKey));
      this.pop();
    }
  }

  private blockSequence(v: unknown[], mappingContext: boolean): void {
    this.increase(false, mappingContext && !this.indention);
    for (const item of v) {
      this.writeIndent();
      this.indicator('-', true, false, true);
      this.node(item, {});
    }
    this.pop();
  }

  private blockMapping(v: Record<string, unknown>): void {
    this.increase(false);
    for (const [k, x] of this.entries(v)) {
      this.writeIndent();
      this.node(k, { mapping: true, simpleKey: true });
      this.indicator(':', false);
      this.node(x, { mapping: true });
    }
    this.pop();
  }

  private flowSequence(v: unknown[]): void {
    this.indicator('[', true, true);
    this.flowLevel++;
    this.increase(true);
    v.forEach((item, i) => {
      if (i > 0) this.indicator(',', false);
      if (this.column > WIDTH) this.writeIndent();
      this.node(item, {});
    });
    this.pop();
    this.flowLevel--;
    this.indicator(']', false);
  }

  private flowMapping(v: Record<string, unknown>): void {
    this.indicator('{', true, true);
    this.flowLevel++;
    this.increase(true);
    this.entries(v).forEach(([k, x], i) => {
      if (i > 0) this.indicator(',', false);
      if (this.column > WIDTH) this.writeIndent();
      this.node(k, { mapping: true, simpleKey: true });
      this.indicator(':', false);
      this.node(x, { mapping: true });
    });
    this.pop();
    this.flowLevel--;
    this.indicator('}', false);
  }

  private scalar(v: unknown, simpleKey: boolean): void {
    if (v === null || v === undefined) return this.plain('null', !simpleKey);
    if (typeof v === 'boolean') return this.plain(v ? 'true' : 'false', !simpleKey);
    if (typeof v === 'number') {
      const text = Number.isNaN(v) ? '.nan' : v === Infinity ? '.inf' : v === -Infinity ? '-.inf' : pyStr(v);
      return this.plain(text, !simpleKey);
    }
    if (typeof v !== 'string') throw new ValueProblem(`to_yaml cannot write ${typeName(v)}`);
    const a = analyze(v);
    const implicit = !IMPLICIT.some((re) => re.test(v));
    const split = !simpleKey;
    if (implicit && !(simpleKey && (a.empty || a.multiline)) && (this.flowLevel > 0 ? a.flowPlain : a.blockPlain))
      return this.plain(v, split);
    if (a.singleQuoted && !(simpleKey && a.multiline)) return this.singleQuoted(v, split);
    return this.doubleQuoted(v);
  }

  private plain(text: string, split: boolean): void {
    if (!text) return;
    if (!this.whitespace) this.write(' ');
    this.whitespace = false;
    this.indention = false;
    let [spaces, start] = [false, 0];
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charAt(end) : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > WIDTH && split) {
            this.writeIndent();
            this.whitespace = false;
            this.indention = false;
          } else this.write(text.slice(start, end));
          start = end;
        }
      } else if (ch === undefined || ch === ' ') {
        this.write(text.slice(start, end));
        start = end;
      }
      if (ch !== undefined) spaces = ch === ' ';
    }
  }

  private singleQuoted(text: string, split: boolean): void {
    this.indicator("'", true);
    let [spaces, breaks, start] = [false, false, 0];
    for (let end = 0; end <= text.length; end++) {
      const ch = end < text.length ? text.charAt(end) : undefined;
      if (spaces) {
        if (ch !== ' ') {
          if (start + 1 === end && this.column > WIDTH && split && start !== 0 && end !== text.length) this.writeIndent();
          else this.write(text.slice(start, end));
          start = end;
        }
      } else if (breaks) {
        if (ch === undefined || !BREAKS.includes(ch)) {
          if (text.charAt(start) === '\n') this.lineBreak();
          for (const br of text.slice(start, end)) this.lineBreak(br === '\n' ? '\n' : br);
          this.writeIndent();
          start = end;
        }
      } else if (ch === undefined || ch === ' ' || BREAKS.includes(ch) || ch === "'") {
        if (start < end) this.write(text.slice(start, end));
        start = end;
      }
      if (ch === "'") {
        this.write("''");
        start = end + 1;
      }
      if (ch !== undefined) {
        spaces = ch === ' ';
        breaks = BREAKS.includes(ch);
      }
    }
    this.indicator("'", false);
  }

  private doubleQuoted(text: string): void {
    this.indicator('"', true);
    let body = '';
    for (const ch of text) {
      const c = ch.codePointAt(0) ?? 0;
      const esc = DOUBLE_ESCAPES[ch];
      if (esc !== undefined) body += `\\${esc}`;
      else if (
        (c >= 0x20 && c <= 0x7e) ||
        (((c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c < 0x10ffff)) && c !== 0xfeff)
      )
        body += ch;
      else
        body +=
          c <= 0xff
            ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`
            : c <= 0xffff
              ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
              : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
    }
    this.write(body);
    this.indicator('"', false);
  }

  /** Ends the document with a newline (Ansible's dumper writes no "..." after a plain scalar at the root). */
  end(): string {
    this.writeIndent();
    return this.out;
  }
}

/** `yaml.dump(v, allow_unicode=True, ...)` as Ansible's to_yaml (flowLeaves) and to_nice_yaml (indent 4, block style). */
export function pyYamlDump(v: unknown, o: YamlDumpOptions): string {
  const best = o.indent !== undefined && o.indent > 1 && o.indent < 10 ? o.indent : 2;
  const e = new Emitter({ best, flowLeaves: o.flowLeaves, sortKeys: o.sortKeys });
  e.node(v, {});
  return e.end();
}
