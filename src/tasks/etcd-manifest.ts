import { etcdFactsFromManifest } from '../etcd/manifest.js';
import type { EtcdManifestArgs } from '../generated/playbook.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { failure } from './etcd-client.js';
import { execOn, type ModuleDef } from './module.js';

/** Default location of the etcd static-pod manifest and of parked manifests (see static_pod). */
export const DEFAULT_ETCD_MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
export const DEFAULT_PARKED_DIR = '/etc/kubernetes/manifests-parked';

/** `etcd_manifest`: reads the etcd static-pod manifest (or its parked copy), parses it on the controller and sets the `etcd` fact. */
export const etcdManifestModule: ModuleDef<EtcdManifestArgs> = {
  name: 'etcd_manifest',
  remote: true,
  readOnly: true,
  facts: ['etcd'],
  async run(args, ctx) {
    const path = args?.path || DEFAULT_ETCD_MANIFEST;
    const base = path.slice(path.lastIndexOf('/') + 1);
    const parked = `${(args?.parked_dir || DEFAULT_PARKED_DIR).replace(/\/+$/, '')}/${base}`;
    const cmd = `if [ -f ${q(path)} ]; then echo at=path; cat -- ${q(path)}; elif [ -f ${q(parked)} ]; then echo at=parked; cat -- ${q(parked)}; ` +
      `else echo ${q(`no etcd manifest at ${path} nor ${parked}`)} >&2; exit 2; fi`;
    const r = await execOn(ctx, cmd, { onOutput: undefined });
    if (r.code === 2 && !r.timedOut) return { failed: true, changed: false, path, msg: `no etcd manifest on ${ctx.host}: neither ${path} nor ${parked} exists` };
    if (r.code !== 0) return failure(ctx, `reading ${path}`, r, { path });
    const nl = r.stdout.indexOf('\n');
    const found = r.stdout.slice(0, nl) === 'at=parked' ? parked : path;
    try {
      const etcd = etcdFactsFromManifest(r.stdout.slice(nl + 1), found);
      return { changed: false, path: found, parked: found !== path, ansible_facts: { etcd } };
    } catch (e) {
      return { failed: true, changed: false, path: found, msg: `${e instanceof Error ? e.message : String(e)} (on ${ctx.host})` };
    }
  },
};
