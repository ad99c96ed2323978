// Version comparison of the `version` test (Ansible's version_compare): loose (the default), strict and semantic
// versions, with Python's rules (comparing a number with a word in a loose version is an error).
import { pyCompare } from './python.js';
import { ValueProblem } from '../errors/value-problem.js';

/** LooseVersion's parts: runs of digits (numbers), runs of lower-case letters and everything else; dots dropped. */
function looseParts(v: string): Array<number | string> {
  return v
    .split(/(\d+|[a-z]+|\.)/)
    .filter((x) => x !== '' && x !== '.')
    .map((x) => (/^\d+$/.test(x) ? Number(x) : x));
}

/** LooseVersion: part by part, as Python compares lists (a number against a word is an error). */
function compareLoose(a: string, b: string): number {
  return pyCompare(looseParts(a), looseParts(b));
}

function strictParts(v: string): { nums: number[]; pre?: [string, number] } {
  const m = /^(\d+)\.(\d+)(\.(\d+))?([ab](\d+))?$/.exec(v);
  if (!m) throw new ValueProblem(`invalid version number '${v}'`);
  const nums = [Number(m[1]), Number(m[2]), Number(m[4] ?? 0)];
  return m[5] ? { nums, pre: [m[5].charAt(0), Number(m[6])] } : { nums };
}

/** StrictVersion: N.N[.N] with an optional aN / bN pre-release, which sorts before the release. */
function compareStrict(a: string, b: string): number {
  const x = strictParts(a);
  const y = strictParts(b);
  const c = pyCompare(x.nums, y.nums);
  if (c !== 0) return c;
  if (!x.pre || !y.pre) return (x.pre ? -1 : 0) + (y.pre ? 1 : 0);
  return pyCompare(x.pre, y.pre);
}

const SEMVER =
  /^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-((?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*)(?:\.(?:0|[1-9]\d*|\d*[a-zA-Z-][0-9a-zA-Z-]*))*))?(?:\+([0-9a-zA-Z-]+(?:\.[0-9a-zA-Z-]+)*))?$/;

function semverParts(v: string): { nums: number[]; pre: Array<number | string> } {
  const m = SEMVER.exec(v);
  if (!m) throw new ValueProblem(`invalid semantic version '${v}'`);
  return {
    nums: [Number(m[1]), Number(m[2]), Number(m[3])],
    pre: m[4] ? m[4].split('.').map((x) => (/^\d+$/.test(x) ? Number(x) : x)) : [],
  };
}

/** Semantic Versioning 2.0: a pre-release sorts before its release, identifiers numerically or by text; build metadata ignored. */
function compareSemver(a: string, b: string): number {
  const x = semverParts(a);
  const y = semverParts(b);
  const c = pyCompare(x.nums, y.nums);
  if (c !== 0) return c;
  if (x.pre.length === 0 || y.pre.length === 0) return y.pre.length - x.pre.length;
  for (let i = 0; i < Math.min(x.pre.length, y.pre.length); i++) {
    const p = x.pre[i];
    const q = y.pre[i];
    if (p === q) continue;
    if (typeof p === 'number' && typeof q === 'number') return p - q;
    if (typeof p === 'number') return -1;
    if (typeof q === 'number') return 1;
    return String(p) < String(q) ? -1 : 1;
  }
  return x.pre.length - y.pre.length;
}

const OPERATORS: Readonly<Record<string, (c: number) => boolean>> = {
  eq: (c) => c === 0,
  ne: (c) => c !== 0,
  lt: (c) => c < 0,
  le: (c) => c <= 0,
  gt: (c) => c > 0,
  ge: (c) => c >= 0,
};
const OPERATOR_NAMES: Readonly<Record<string, string>> = {
  '==': 'eq',
  '=': 'eq',
  eq: 'eq',
  '<': 'lt',
  lt: 'lt',
  '<=': 'le',
  le: 'le',
  '>': 'gt',
  gt: 'gt',
  '>=': 'ge',
  ge: 'ge',
  '!=': 'ne',
  '<>': 'ne',
  ne: 'ne',
};
const TYPES: Readonly<Record<string, (a: string, b: string) => number>> = {
  loose: compareLoose,
  strict: compareStrict,
  semver: compareSemver,
  semantic: compareSemver,
};

/** Python's str() of a version given as a number (3.5 is '3.5'). */
const text = (v: unknown): string => (typeof v === 'string' ? v : String(v));

/** `value is version(other, operator, strict, version_type)`, as Ansible's version test. */
export function versionCompare(
  value: unknown,
  other: unknown,
  operator: unknown = 'eq',
  strictFlag?: unknown,
  versionType?: unknown,
): boolean {
  if (strictFlag !== undefined && strictFlag !== null && versionType !== undefined && versionType !== null)
    throw new ValueProblem("version: cannot specify both 'strict' and 'version_type'");
  if (value === null || value === '' || value === undefined) throw new ValueProblem('version: the version to test cannot be empty');
  if (other === null || other === '' || other === undefined)
    throw new ValueProblem('version: the version to compare against cannot be empty');
  const op = typeof operator === 'string' ? OPERATOR_NAMES[operator] : undefined;
  if (!op)
    throw new ValueProblem(`version: invalid operator ${JSON.stringify(operator)} (one of ${Object.keys(OPERATOR_NAMES).join(', ')})`);
  let compare = compareLoose;
  if (strictFlag) compare = compareStrict;
  else if (versionType !== undefined && versionType !== null) {
    const t = typeof versionType === 'string' ? TYPES[versionType] : undefined;
    if (!t)
      throw new ValueProblem(`version: version_type ${JSON.stringify(versionType)} is not supported (loose, strict, semver, semantic)`);
    compare = t;
  }
  try {
    const c = compare(text(value), text(other));
    return OPERATORS[op]?.(c) ?? false;
  } catch (e) {
    if (e instanceof ValueProblem) throw new ValueProblem(`version comparison failed: ${e.message}`);
    throw e;
  }
}
