/**
 * Floats with an integral value (`3.0`, `1e3` in INI, `1.0e+3` in YAML) are floats for Ansible and print as `3.0`,
 * but JavaScript has one number type. While an inventory is read such a value is boxed; when it is stored in a vars
 * mapping (or a list) the box is removed and the place is marked, so views print it as Python would.
 */
export class IntegralFloat {
  constructor(readonly value: number) {}
}

const marks = new WeakMap<object, Set<string | number>>();

/** Marks `container[key]` as a float (or clears the mark). */
export function markFloat(container: object, key: string | number, float: boolean): void {
  const set = marks.get(container);
  if (float) {
    if (set) set.add(key);
    else marks.set(container, new Set([key]));
  } else set?.delete(key);
}

/** True when `container[key]` holds a float that has an integral value. */
export function isFloatAt(container: object, key: string | number): boolean {
  return marks.get(container)?.has(key) ?? false;
}

/** The value with every IntegralFloat replaced by its number (lists and mappings are unboxed in place, places marked). */
export function unboxFloats(value: unknown): unknown {
  if (value instanceof IntegralFloat) return value.value;
  if (Array.isArray(value)) {
    value.forEach((v, i) => {
      if (v instanceof IntegralFloat) markFloat(value, i, true);
      value[i] = unboxFloats(v);
    });
  } else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (v instanceof IntegralFloat) markFloat(value, k, true);
      (value as Record<string, unknown>)[k] = unboxFloats(v);
    }
  }
  return value;
}

/** Python's repr of a float: `3.0`, `1.1`, `1e+16`, `1e-05`, `inf` shown as JSON does (`Infinity`, `NaN`). */
export function pyFloat(x: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? 'Infinity' : '-Infinity';
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mant = '0', expText = '0'] = x.toExponential().split('e');
  const exp = Number(expText);
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  if (exp >= -4 && exp < 16) {
    let s: string;
    if (exp >= digits.length - 1) s = `${digits}${'0'.repeat(exp - digits.length + 1)}.0`;
    else if (exp >= 0) s = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
    else s = `0.${'0'.repeat(-exp - 1)}${digits}`;
    return `${neg ? '-' : ''}${s}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${neg ? '-' : ''}${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
}
