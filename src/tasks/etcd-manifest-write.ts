import { editEtcdManifest, type EditedManifest } from '../etcd/manifest-edit.js';
import { etcdFactsFromManifest, type EtcdManifestFacts } from '../etcd/manifest.js';
import type { EtcdManifestWriteArgs } from '../generated/playbook.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { failure } from './etcd-client.js';
import { execOn, type ModuleContext, type ModuleDef } from './module.js';
import { writeFile } from './write-file.js';
import { fail, errorText } from './result.js';

/** The certificate files an etcd manifest names (each must exist on the host the member will run on). */
const FILE_FLAGS = ['cert-file', 'key-file', 'trusted-ca-file', 'peer-cert-file', 'peer-key-file', 'peer-trusted-ca-file'] as const;

/** Those of `paths` that are not files on the host. */
async function missingFiles(ctx: ModuleContext, paths: string[]): Promise<string[] | { error: string }> {
  if (paths.length === 0) return [];
  const r = await execOn(ctx, `${paths.map((p) => `[ -f ${q(p)} ] || printf '%s\\n' ${q(p)}`).join('; ')}; true`, { onOutput: undefined });
  if (r.code !== 0) return { error: `checking the certificate files on ${ctx.host} failed (exit code ${String(r.code)})` };
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * `etcd_manifest_write`: writes an etcd static-pod manifest for this host's member: from `content` (a model, e.g.
 * another master's manifest, moved from `model_address` to `address` and renamed to `name`) or, without it, the
 * manifest already at `dest`; sets `flags` (added when absent, e.g. initial-cluster-state); refuses a result
 * whose certificate files do not exist on the host. Idempotent; check mode reports the changes.
 */
export const etcdManifestWriteModule: ModuleDef<EtcdManifestWriteArgs> = {
  name: 'etcd_manifest_write',
  remote: true,
  readOnly: false,
  async run(a, ctx) {
    let model = a.content;
    if (model === undefined || model === '') {
      // in check mode, a manifest an earlier planned step would have moved to dest is read where it still is
      const r = await execOn(ctx, `cat -- ${q(ctx.dryRun?.sourceOf(ctx.host, a.dest) ?? a.dest)}`, { onOutput: undefined });
      if (r.code !== 0) return failure(ctx, `reading ${a.dest} (no content given, so the manifest there is edited)`, r, { dest: a.dest });
      model = r.stdout;
    }
    const set: Record<string, string> = {};
    for (const [k, v] of Object.entries(a.flags ?? {})) set[k.replace(/^-+/, '')] = String(v);
    if (a.name) set['name'] = a.name;
    let edited: EditedManifest;
    let facts: EtcdManifestFacts;
    try {
      edited = editEtcdManifest(
        model,
        { set, address: a.model_address && a.address ? { from: a.model_address, to: a.address } : undefined },
        a.dest,
      );
      facts = etcdFactsFromManifest(edited.text, a.dest);
    } catch (e) {
      return fail(`${errorText(e)} (for ${ctx.host})`, { dest: a.dest });
    }
    const files = FILE_FLAGS.map((f) => facts[f.replace(/-/g, '_') as 'cert_file']).filter(Boolean);
    const missing = await missingFiles(ctx, [...new Set(files)]);
    if ('error' in missing) return fail(missing.error, { dest: a.dest });
    if (missing.length) {
      return fail(
        `the manifest for ${facts.name} names files that do not exist on ${ctx.host}: ${missing.join(', ')} (a model taken from another master may name that master's own certificates)`,
        { dest: a.dest, changes: edited.changes },
      );
    }
    const text = edited.text.endsWith('\n') ? edited.text : `${edited.text}\n`; // a registered stdout lost its last newline
    const written = await writeFile(
      ctx,
      { kind: 'buffer', data: Buffer.from(text) },
      { dest: a.dest, mode: a.mode ?? '0600' },
      'etcd_manifest_write',
    );
    const what = edited.changes.length ? edited.changes.join('; ') : 'no flag changed';
    return {
      ...written,
      changes: edited.changes,
      etcd: facts,
      msg: written.changed
        ? `${ctx.check ? 'check mode: would write' : 'wrote'} ${a.dest} for ${facts.name}: ${what}`
        : `${a.dest} already as wanted`,
    };
  },
};
