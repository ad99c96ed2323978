import type { FindArgs } from '../generated/playbook.js';
import { pyRegex } from '../expr/regex.js';
import { shellQuote } from '../util/shell-quote.js';
import { bool, failed, plannedModule, unchanged, type Plan } from './plan.js';

const FIELDS = "'%F|%a|%U|%G|%s|%Y|%X|%Z|%u|%g|%n'";

/** Ansible's list arguments: a list, or a comma-separated string. */
function list(v: string | string[] | undefined): string[] {
  if (v === undefined) return [];
  return Array.isArray(v)
    ? v
    : v
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
}

function pathsOf(a: FindArgs): string[] {
  return list(a.paths ?? a.path ?? a.name);
}

/** `find`: files (or directories, links) under paths by name pattern, age, size and content; as ansible-core's. Read-only. */
export const findModule = plannedModule<FindArgs>({
  name: 'find',
  readOnly: true,
  probe(a) {
    const recurse = bool(a.recurse);
    const depth = recurse ? (a.depth !== undefined ? ` -maxdepth ${Number(a.depth)}` : '') : ' -maxdepth 1';
    const follow = bool(a.follow);
    const grep =
      a.contains !== undefined
        ? ` -exec sh -c 'for f; do [ -f "$f" ] && grep -q -E -e "$0" -- "$f" && printf "C|%s\\n" "$f"; done; true' ${shellQuote(`^(${a.contains})`)} {} +`
        : '';
    const one = (p: string): string => {
      const q = shellQuote(p);
      return `if [ -d ${q} ]; then printf 'D|%s\\n' ${q}; find ${follow ? '-L ' : ''}${q} -mindepth 1${depth} -exec stat ${follow ? '-L ' : ''}-c ${FIELDS} {} +${grep}; else printf 'N|%s\\n' ${q}; fi`;
    };
    return ['date +%s', ...pathsOf(a).map(one)].join('; ');
  },
  plan(a, probe) {
    if (pathsOf(a).length === 0) return failed('missing required arguments: paths');
    try {
      return plan(a, probe.stdout);
    } catch (e) {
      return failed((e as Error).message);
    }
  },
});

/** Python's fnmatch as a regular expression. */
function glob(p: string): RegExp {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p.charAt(i);
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = p.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        out += `[${p
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else out += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  return new RegExp(`^(?:${out})$`, 's');
}

function amount(v: string | undefined, what: 'age' | 'size'): number | undefined {
  if (v === undefined) return undefined;
  const units: Record<string, number> =
    what === 'age' ? { s: 1, m: 60, h: 3600, d: 86400, w: 604800 } : { b: 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3, t: 1024 ** 4 };
  const m = (what === 'age' ? /^(-?\d+)(s|m|h|d|w)?$/ : /^(-?\d+)(b|k|m|g|t)?$/).exec(v.toLowerCase());
  if (!m) throw new Error(`failed to process ${what}`);
  return Number(m[1]) * (units[m[2] ?? ''] ?? 1);
}

function plan(a: FindArgs, out: string): Plan {
  const [nowLine = '0', ...rows] = out.replace(/\n$/, '').split('\n');
  const now = Number(nowLine);
  const age = amount(a.age, 'age');
  const size = amount(a.size, 'size');
  const useRegex = bool(a.use_regex);
  const patterns = list(a.patterns ?? a.pattern).map((p) => (useRegex ? pyRegex(`(?:${p})`, 'find patterns', {}, 'y') : glob(p)));
  const excludes = list(a.excludes ?? a.exclude).map((p) => (useRegex ? pyRegex(`(?:${p})`, 'find excludes', {}, 'y') : glob(p)));
  const type = a.file_type ?? 'file';
  const stamp = a.age_stamp ?? 'mtime';
  const contains = new Set(rows.filter((r) => r.startsWith('C|')).map((r) => r.slice(2)));
  const files: Record<string, unknown>[] = [];
  const skipped: Record<string, string> = {};
  let examined = 0;
  for (const row of rows) {
    if (row.startsWith('N|')) {
      skipped[row.slice(2)] = `'${row.slice(2)}' is not a directory`;
      continue;
    }
    if (row.startsWith('D|') || row.startsWith('C|')) continue;
    const parts = row.split('|');
    const [kind = '', mode = '', owner = '', group = '', sz = '0', mtime = '0', atime = '0', ctime = '0', uid = '0', gid = '0'] = parts;
    const path = parts.slice(10).join('|');
    examined++;
    const base = path.slice(path.lastIndexOf('/') + 1);
    if (base.startsWith('.') && !bool(a.hidden)) continue;
    const isreg = kind.startsWith('regular');
    const isdir = kind === 'directory';
    const islnk = kind === 'symbolic link';
    const times: Record<string, number> = { mtime: Number(mtime), atime: Number(atime), ctime: Number(ctime) };
    const t = times[stamp] ?? 0;
    const ageOk = age === undefined || (age >= 0 ? now - t >= Math.abs(age) : now - t <= Math.abs(age));
    const sizeOk = size === undefined || (size >= 0 ? Number(sz) >= Math.abs(size) : Number(sz) <= Math.abs(size));
    const matches = (r: RegExp): boolean => {
      const hit = r.test(base);
      r.lastIndex = 0;
      return hit;
    };
    const nameOk = (patterns.length === 0 || patterns.some(matches)) && !excludes.some(matches);
    const typeOk =
      type === 'any'
        ? !isreg || sizeOk
        : type === 'directory'
          ? isdir
          : type === 'link'
            ? islnk
            : isreg && sizeOk && (a.contains === undefined || contains.has(path));
    if (!(nameOk && ageOk && typeOk)) continue;
    files.push({
      path,
      mode: mode.padStart(4, '0'),
      isdir,
      isreg,
      islnk,
      size: Number(sz),
      uid: Number(uid),
      gid: Number(gid),
      pw_name: owner,
      gr_name: group,
      mtime: Number(mtime),
      atime: Number(atime),
      ctime: Number(ctime),
    });
  }
  files.sort((x, y) => String(x['path']).localeCompare(String(y['path'])));
  const msg = Object.keys(skipped).length ? 'Not all paths examined, check warnings for details' : 'All paths examined';
  return unchanged({ files, matched: files.length, examined, msg, skipped_paths: skipped });
}
