import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { UnarchiveArgs } from '../generated/playbook.js';
import { sourcePath } from '../playbook/roles/source-path.js';
import { shellQuote } from '../util/shell-quote.js';
import { execOn, type ModuleDef } from './module.js';
import { bool, execute, failed, unchanged, type Plan, type PlannedModule, type Probe } from './plan.js';
import { fail, ok } from './result.js';

/** ansible-core's handler names by archive kind. */
const HANDLER: Record<string, string> = {
  zip: 'ZipArchive',
  tgz: 'TgzArchive',
  tbz: 'TarBzipArchive',
  txz: 'TarXzArchive',
  tar: 'TarArchive',
};
const TAR_FLAG: Record<string, string> = { tgz: 'z', tbz: 'j', txz: 'J', tar: '' };

/**
 * The probe: the archive's kind from its first bytes, whether dest is a directory, the member list, and whether
 * every member is already in dest with the same content (tar --diff; for zip, each member compared with cmp).
 */
function probe(a: UnarchiveArgs): string {
  const s = shellQuote(a.src);
  const d = shellQuote(a.dest);
  const creates = a.creates !== undefined ? `[ -e ${shellQuote(a.creates)} ] && { echo creates; exit 0; }; ` : '';
  return (
    `${creates}[ -e ${s} ] || { echo nosrc; exit 0; }; [ -r ${s} ] || { echo unreadable; exit 0; }; [ -s ${s} ] || { echo empty; exit 0; }; ` +
    `[ -d ${d} ] || { echo nodest; exit 0; }; ` +
    `m=$(od -An -tx1 -N4 ${s} | tr -d ' \\n'); case $m in 504b0304*) k=zip;; 1f8b*) k=tgz;; 425a68*) k=tbz;; fd377a58*) k=txz;; *) k=tar;; esac; ` +
    `if [ $k = zip ]; then command -v unzip >/dev/null 2>&1 || { echo nounzip; exit 0; }; l=$(unzip -Z1 ${s}) || exit 1; u=1; ` +
    `for n in $l; do case $n in */) [ -d ${d}/"$n" ] || u=0;; *) unzip -p ${s} "$n" | cmp -s - ${d}/"$n" || u=0;; esac; done; ` +
    `else f=$(case $k in tgz) echo z;; tbz) echo j;; txz) echo J;; esac); l=$(tar -t"$f"f ${s}) || exit 1; u=1; tar -C ${d} -d"$f"f ${s} >/dev/null 2>&1 || u=0; fi; ` +
    `echo "$k $u"; printf '%s\\n' "$l"`
  );
}

function plan(a: UnarchiveArgs, p: Probe, src: string, check: boolean): Plan {
  if (p.code !== 0) return failed(`failed to read ${src}: ${p.stderr.trim()}`, { dest: a.dest, src });
  const [head = '', ...files] = p.stdout.replace(/\n$/, '').split('\n');
  const base = { dest: a.dest, src };
  if (head === 'creates') return unchanged({ ...base, msg: `skipped, since ${a.creates ?? ''} exists` });
  const fail: Record<string, string> = {
    nosrc: `Source '${src}' does not exist`,
    unreadable: `Source '${src}' not readable`,
    empty: `Invalid archive '${src}', the file is 0 bytes`,
    nodest: `Destination '${a.dest}' is not a directory`,
    nounzip: "Unable to find required 'unzip' binary in the path",
  };
  if (fail[head]) return failed(fail[head] ?? '', base);
  const [kind = 'tar', unarchived] = head.split(' ');
  const result = { ...base, handler: HANDLER[kind] ?? 'TarArchive', ...(bool(a.list_files) ? { files: files.filter(Boolean) } : {}) };
  // ansible-core (GNU tar) skips tar archives in check mode; zip archives report whether they would unpack
  if (check && kind !== 'zip')
    return {
      result: ok({
        skipped: true,
        msg: 'remote module (ansible.legacy.unarchive) does not support check mode when using gtar',
      }),
      steps: [],
    };
  if (unarchived === '1') return unchanged(result);
  const s = shellQuote(src);
  const d = shellQuote(a.dest);
  const excludes = (Array.isArray(a.exclude) ? a.exclude : a.exclude ? [a.exclude] : []).map(shellQuote);
  const extra = (Array.isArray(a.extra_opts) ? a.extra_opts : a.extra_opts ? [a.extra_opts] : []).map(shellQuote).join(' ');
  const cmd =
    kind === 'zip'
      ? `unzip -o ${extra ? `${extra} ` : ''}${s} -d ${d}${excludes.length ? ` -x ${excludes.join(' ')}` : ''}`
      : `tar -C ${d} -x${TAR_FLAG[kind] ?? ''}f ${s} ${extra}${excludes.map((e) => ` --exclude=${e}`).join('')}${bool(a.keep_newer) ? ' --keep-newer-files' : ''}`;
  const steps = [{ command: `${cmd} >/dev/null` }];
  if (a.mode !== undefined)
    steps.push({
      command: `chmod -R ${shellQuote(String(a.mode))} -- ${
        files
          .filter(Boolean)
          .map((f) => shellQuote(`${a.dest}/${f}`))
          .join(' ') || d
      }`,
    });
  if (a.owner !== undefined || a.group !== undefined)
    steps.push({ command: `chown -R ${shellQuote(`${a.owner ?? ''}${a.group ? `:${a.group}` : ''}`)} -- ${d}` });
  return { result, steps }; // changed: steps are planned
}

/** The planned part: an archive already on the host (remote_src, or the controller's file once uploaded). */
function unarchivePlan(src: string): PlannedModule<UnarchiveArgs> {
  return { name: 'unarchive', readOnly: false, probe: (a) => probe({ ...a, src }), plan: (a, p, env) => plan(a, p, src, env.check) };
}

/** `unarchive`: unpacks tar(.gz/.bz2/.xz) and zip archives with the host's tar/unzip; a controller `src` is uploaded first. Idempotent: nothing is unpacked when dest already has every member with the same content. */
export const unarchiveModule: ModuleDef<UnarchiveArgs> = {
  name: 'unarchive',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    if (bool(a.remote_src) || a.copy === false || a.copy === 'no' || a.copy === 'false') return execute(unarchivePlan(a.src), a, ctx);
    const local = sourcePath(a.src, ctx.dir, ctx.roleDir, 'files');
    if (!(await stat(local).catch(() => undefined))?.isFile())
      return fail(`Could not find or access '${a.src}' on the Ansible Controller.`);
    const tmp = (await execOn(ctx, 'mktemp', { onOutput: undefined })).stdout.trim();
    if (!tmp) return fail('unarchive: cannot create a temporary file on the host');
    try {
      await ctx.transport?.put({ path: tmp, content: createReadStream(local), mode: 0o600, become: ctx.become, signal: ctx.signal });
      return { ...(await execute(unarchivePlan(tmp), a, ctx)), src: a.src };
    } finally {
      await execOn(ctx, `rm -f -- ${shellQuote(tmp)}`, { onOutput: undefined }).catch(() => undefined);
    }
  },
};
