import { IntegralFloat } from './py-float.js';

/** Splits a line like Python's `shlex.split(line, comments=True)`: quotes, backslashes, `#` comments. */
export function shlexSplit(line: string): { tokens: string[] } | { error: string } {
  const tokens: string[] = [];
  let token = '';
  let inToken = false;
  let quote: '' | "'" | '"' = '';
  for (let i = 0; i < line.length; i++) {
    const c = line.charAt(i);
    if (quote) {
      if (c === quote) quote = '';
      else if (c === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) token += line.charAt(++i);
      else token += c;
    } else if (/\s/.test(c)) {
      if (inToken) tokens.push(token);
      token = '';
      inToken = false;
    } else if (c === '#') break;
    else if (c === "'" || c === '"') {
      quote = c;
      inToken = true;
    } else if (c === '\\') {
      if (i + 1 >= line.length) return { error: 'No escaped character' };
      token += line.charAt(++i);
      inToken = true;
    } else {
      token += c;
      inToken = true;
    }
  }
  if (quote) return { error: 'No closing quotation' };
  if (inToken) tokens.push(token);
  return { tokens };
}

/**
 * Converts an INI value (host line or `[group:vars]`) like Python's `ast.literal_eval` does in Ansible 2.14: `8080` →
 * number, `3.0` → float, `True`/`False`/`None`, quoted strings, lists/tuples/dicts; anything else (including `true`,
 * `010`, templates) stays a string.
 */
export function parseIniValue(text: string): unknown {
  const p = new LiteralParser(text);
  try {
    const v = p.value();
    p.skipSpace();
    // Python's tokenizer drops a trailing comment: `5 # five` is 5 (`abc # note` stays the whole string)
    return p.atEnd() || p.atComment() ? v : text;
  } catch {
    return text;
  }
}

class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}
  atEnd(): boolean {
    return this.i >= this.s.length;
  }
  atComment(): boolean {
    return this.s[this.i] === '#';
  }
  skipSpace(): void {
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
  }
  value(): unknown {
    this.skipSpace();
    const c = this.s[this.i];
    if (c === "'" || c === '"') return this.str(c);
    if (c === '[') return this.seq('[', ']');
    if (c === '(') return this.seq('(', ')');
    if (c === '{') return this.dictOrSet();
    const word = /^[+-]?[A-Za-z0-9_.]+(?:[eE][+-]?[0-9]+)?/.exec(this.s.slice(this.i))?.[0];
    if (!word) throw new Error('unexpected');
    this.i += word.length;
    return literalWord(word);
  }
  private str(q: string): string {
    let out = '';
    const esc: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', '\\': '\\', "'": "'", '"': '"' };
    for (this.i++; this.i < this.s.length; this.i++) {
      const c = this.s.charAt(this.i);
      if (c === q) {
        this.i++;
        return out;
      }
      if (c === '\\') {
        const n = this.s.charAt(++this.i);
        out += esc[n] ?? `\\${n}`;
      } else out += c;
    }
    throw new Error('unterminated string');
  }
  private seq(open: string, close: string): unknown[] {
    this.i++;
    const items: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === close) {
        this.i++;
        return items;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== close) throw new Error(`expected , or ${open}${close}`);
    }
  }
  private dictOrSet(): unknown {
    this.i++;
    const dict: Record<string, unknown> = {};
    const set: unknown[] = [];
    for (;;) {
      this.skipSpace();
      if (this.s[this.i] === '}') {
        this.i++;
        return set.length ? set : dict;
      }
      const key = this.value();
      this.skipSpace();
      if (this.s[this.i] === ':') {
        this.i++;
        Object.defineProperty(dict, String(key), { value: this.value(), enumerable: true, writable: true, configurable: true });
      } else set.push(key);
      this.skipSpace();
      if (this.s[this.i] === ',') this.i++;
      else if (this.s[this.i] !== '}') throw new Error('expected , or }');
    }
  }
}

function literalWord(word: string): unknown {
  if (word === 'True') return true;
  if (word === 'False') return false;
  if (word === 'None') return null;
  const sign = word.startsWith('-') ? -1 : 1;
  const body = word.replace(/^[+-]/, '');
  let n: number | undefined;
  if (/^(?:0|[1-9](?:_?[0-9])*)$/.test(body)) n = Number(body.replaceAll('_', ''));
  else if (/^0[xX](?:_?[0-9a-fA-F])+$/.test(body) || /^0[oO](?:_?[0-7])+$/.test(body) || /^0[bB](?:_?[01])+$/.test(body)) {
    n = Number(body.replaceAll('_', '').toLowerCase());
  } else if (/^(?:[0-9](?:_?[0-9])*)?(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?$/.test(body) && /[0-9]/.test(body) && /[.eE]/.test(body)) {
    n = Number(body.replaceAll('_', ''));
  }
  if (n === undefined || Number.isNaN(n)) throw new Error('not a literal');
  const isFloat = /[.eE]/.test(body) && !/^0[xX]/.test(body);
  if (Number.isInteger(n) && !Number.isSafeInteger(n) && !isFloat) throw new Error('integer too large for JavaScript');
  // a Python float with an integral value (3.0, 1e3) stays a float (shown as 3.0)
  return isFloat && Number.isInteger(sign * n) ? new IntegralFloat(sign * n) : sign * n;
}
