import type { ScalarTag, Tags } from 'yaml';
import { IntegralFloat } from './py-float.js';

// YAML 1.1 as Ansible reads it (PyYAML's implicit resolvers and SafeConstructor): yes/no/on/off are booleans but y/n
// are strings, 0644 is octal (420), 1:30 is sexagesimal (90), 1e3 is a string (a float needs a dot, and a signed
// exponent), timestamps become ISO strings (what ansible-inventory prints).

const BOOL = /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/;
const INT = /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/;
const FLOAT =
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/;
const NULL = /^(?:~|null|Null|NULL|)$/;
const TIMESTAMP =
  /^(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?)$/;

/** Sexagesimal `a:b:c` → a*3600 + b*60 + c (PyYAML). */
function sexagesimal(text: string, parse: (s: string) => number): number {
  return text.split(':').reduce((acc, part) => acc * 60 + parse(part), 0);
}

function int(text: string): number {
  let s = text.replace(/_/g, '');
  let sign = 1;
  if (s.startsWith('-')) sign = -1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  if (s === '0') return 0;
  if (s.startsWith('0b')) return sign * parseInt(s.slice(2), 2);
  if (s.startsWith('0x')) return sign * parseInt(s.slice(2), 16);
  if (s.startsWith('0')) return sign * parseInt(s, 8);
  if (s.includes(':')) return sign * sexagesimal(s, (p) => parseInt(p, 10));
  return sign * parseInt(s, 10);
}

function float(text: string): number | IntegralFloat {
  let s = text.replace(/_/g, '').toLowerCase();
  let sign = 1;
  if (s.startsWith('-')) sign = -1;
  if (s.startsWith('-') || s.startsWith('+')) s = s.slice(1);
  let n: number;
  if (s === '.inf') n = Infinity;
  else if (s === '.nan') n = NaN;
  else if (s.includes(':')) n = sexagesimal(s, parseFloat);
  else n = parseFloat(s);
  n *= sign;
  return Number.isInteger(n) ? new IntegralFloat(n) : n;
}

/** Python's datetime.isoformat() of a YAML timestamp (a date stays YYYY-MM-DD). */
function timestamp(text: string): string {
  const m =
    /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:[Tt]|[ \t]+)([0-9]{1,2}):([0-9]{2}):([0-9]{2})(?:\.([0-9]*))?[ \t]*(Z|[-+][0-9]{1,2}(?::[0-9]{2})?)?)?$/.exec(
      text,
    );
  if (!m) return text;
  const [, y, mo, d, h, mi, s, frac, tz] = m;
  const p2 = (v: string | undefined) => (v ?? '0').padStart(2, '0');
  const date = `${y}-${p2(mo)}-${p2(d)}`;
  if (h === undefined) return date;
  const micro = frac ? `.${frac.slice(0, 6).padEnd(6, '0')}` : '';
  let zone = '';
  if (tz === 'Z') zone = '+00:00';
  else if (tz) {
    const [hh = '0', mm = '00'] = tz.slice(1).split(':');
    zone = `${tz[0]}${hh.padStart(2, '0')}:${mm}`;
  }
  return `${date}T${p2(h)}:${mi}:${s}${micro && /[1-9]/.test(micro) ? micro : ''}${zone}`;
}

const scalar = (tag: string, test: RegExp, resolve: (s: string) => unknown): ScalarTag => ({
  tag: `tag:yaml.org,2002:${tag}`,
  default: true,
  test,
  resolve: resolve as ScalarTag['resolve'],
  identify: () => false,
});

/** The scalar tags of YAML 1.1 as PyYAML resolves plain scalars (quoted scalars stay strings). */
const PY_SCALARS: ScalarTag[] = [
  scalar('null', NULL, () => null),
  scalar('bool', BOOL, (s) => /^(?:yes|true|on)$/i.test(s)),
  scalar('int', INT, int),
  scalar('float', FLOAT, float),
  scalar('timestamp', TIMESTAMP, timestamp),
];

/** PyYAML's booleans alone (yes/no/on/off, any of its cases, besides true/false): playbooks read them as Ansible does. */
export const PYYAML_BOOL: ScalarTag = scalar('bool', BOOL, (s) => /^(?:yes|true|on)$/i.test(s));

/** Options for `yaml`'s parser that read like Ansible's YAML loader (YAML 1.1, PyYAML's resolvers, `<<` merge keys). */
export const YAML11_OPTIONS = {
  version: '1.1' as const,
  merge: true,
  customTags: (tags: Tags): Tags => [
    ...tags.filter((t) => {
      const name = typeof t === 'object' && 'tag' in t ? t.tag : '';
      return !['null', 'bool', 'int', 'float', 'timestamp'].some((k) => name === `tag:yaml.org,2002:${k}`);
    }),
    ...PY_SCALARS,
  ],
};
