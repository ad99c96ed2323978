import type { CopyArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { sha256Snippet } from '../util/sha256-command.js';
import { octalMode } from './path-probe.js';
import { backupStep, bool, failed, unchanged, type Plan, type PlannedModule, type Step } from './plan.js';

/** `copy` with `remote_src: true`: copies a file that is already on the host (cp into a temp file, then rename). */
export const copyRemotePlan: PlannedModule<CopyArgs> = {
  name: 'copy',
  readOnly: false,
  probe(a) {
    const s = shellQuote(a.src ?? '');
    // the dest (dest/basename(src) when dest is a directory), then per path: kind mode owner group uid:gid, sha256
    const info = (v: string): string =>
      `if [ -d ${v} ]; then echo dir; elif [ -e ${v} ]; then stat -L -c 'file %a %U %G %u:%g' -- ${v}; [ -r ${v} ] && ${sha256Snippet(v)} || echo unreadable; else echo absent; fi`;
    return `d=${shellQuote(a.dest)}; if [ -d "$d" ]; then d="$d/$(basename -- ${s})"; fi; printf '%s\\n' "$d"; ${info(s)}; echo --; ${info('"$d"')}`;
  },
  plan(a, probe) {
    if (probe.code !== 0) return failed(`copy: ${probe.stderr.trim()}`);
    return plan(a, probe.stdout);
  },
};

interface Side {
  kind: string;
  mode?: string;
  owner?: string;
  group?: string;
  ids?: string;
  sum?: string;
}

function side(lines: string[]): Side {
  const [head = '', sum] = lines;
  const [kind = 'absent', mode = '', owner, group, ids] = head.split(' ');
  return { kind, mode: mode.padStart(4, '0'), owner, group, ids, sum };
}

function plan(a: CopyArgs, out: string): Plan {
  const src = a.src ?? '';
  const [dest = a.dest, ...rest] = out.replace(/\n$/, '').split('\n');
  const sep = rest.indexOf('--');
  const s = side(rest.slice(0, sep));
  const d = side(rest.slice(sep + 1));
  if (s.kind === 'absent') return failed(`Source ${src} not found`);
  if (s.sum === 'unreadable') return failed(`Source ${src} not readable`);
  if (s.kind === 'dir') return failed(`copy: remote_src of a directory (${src}) is not supported by tsplay; use command: cp -a`);
  if (d.kind === 'dir') return failed(`copy: ${dest} is a directory`);
  const result = { dest, src, checksum: s.sum };
  if (d.kind === 'file' && !bool(a.force, true)) return unchanged({ dest, src, msg: 'file already exists' });
  const steps: Step[] = [];
  const mode = octalMode(a.mode);
  const p = shellQuote(dest);
  if (d.sum !== s.sum) {
    if (bool(a.backup) && d.kind === 'file') steps.push(backupStep(dest));
    const keep = mode ?? (d.kind === 'file' ? d.mode : '0644');
    const chown = d.kind === 'file' && d.ids ? ` && { chown ${shellQuote(d.ids)} "$t" 2>/dev/null || true; }` : '';
    steps.push({
      command: `t=${shellQuote(`${dest}.tsplay-tmp`)}$$; umask 077; cp -- ${shellQuote(src)} "$t" && chmod ${keep ?? '0644'} "$t"${chown} && mv -f "$t" ${p} || { rc=$?; rm -f "$t"; exit $rc; }`,
      show: `cp ${src} ${dest}`,
    });
  } else if (mode && mode !== d.mode) steps.push({ command: `chmod ${mode} -- ${p}` });
  const newFile = d.kind !== 'file';
  if (a.owner && (newFile || a.owner !== d.owner)) steps.push({ command: `chown ${shellQuote(a.owner)} -- ${p}` });
  if (a.group && (newFile || a.group !== d.group)) steps.push({ command: `chgrp ${shellQuote(a.group)} -- ${p}` });
  return { result, steps };
}
