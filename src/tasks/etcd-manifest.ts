import { chooseClientTls, clientTlsCandidates } from '../etcd/client-tls.js';
import { etcdFactsFromManifest, type EtcdManifestFacts } from '../etcd/manifest.js';
import type { EtcdManifestArgs } from '../generated/playbook.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { failure } from './etcd-client.js';
import { execOn, type ModuleContext, type ModuleDef } from './module.js';
import { errorText, fail, ok } from './result.js';

/** Default location of the etcd static-pod manifest and of parked manifests (see static_pod). */
export const DEFAULT_ETCD_MANIFEST = '/etc/kubernetes/manifests/etcd.yaml';
export const DEFAULT_PARKED_DIR = '/etc/kubernetes/manifests-parked';

/** Which of the paths are readable files on the host (one `[ -r ]` per path, one round trip). */
async function readable(ctx: ModuleContext, paths: string[]): Promise<Set<string> | { error: string }> {
  const unique = [...new Set(paths)];
  const r = await execOn(ctx, unique.map((p, i) => `if [ -f ${q(p)} ] && [ -r ${q(p)} ]; then echo ${i}; fi`).join('; ') || 'true', {
    onOutput: undefined,
  });
  if (r.code !== 0)
    return {
      error: `checking the etcd certificate files on ${ctx.host} failed (exit code ${String(r.code)}): ${r.stderr.trim().slice(-300)}`,
    };
  const hits = new Set(
    r.stdout
      .split('\n')
      .map((l) => Number(l.trim()))
      .filter((n) => Number.isInteger(n)),
  );
  return new Set(unique.filter((_, i) => hits.has(i)));
}

/**
 * `etcd_manifest`: reads the etcd static-pod manifest (or its parked copy), parses it on the controller and sets the
 * `etcd` fact, with `etcd.tls`: the client CA/cert/key to reach etcd (the given ones, else found beside the
 * manifest's CA), each checked to exist on the host.
 */
export const etcdManifestModule: ModuleDef<EtcdManifestArgs> = {
  name: 'etcd_manifest',
  remote: true,
  readOnly: true,
  facts: ['etcd'],
  async run(args, ctx) {
    const path = args?.path || DEFAULT_ETCD_MANIFEST;
    const base = path.slice(path.lastIndexOf('/') + 1);
    const parked = `${(args?.parked_dir || DEFAULT_PARKED_DIR).replace(/\/+$/, '')}/${base}`;
    const cmd =
      `if [ -f ${q(path)} ]; then echo at=path; cat -- ${q(path)}; elif [ -f ${q(parked)} ]; then echo at=parked; cat -- ${q(parked)}; ` +
      `else echo ${q(`no etcd manifest at ${path} nor ${parked}`)} >&2; exit 2; fi`;
    const r = await execOn(ctx, cmd, { onOutput: undefined });
    if (r.code === 2 && !r.timedOut) return fail(`no etcd manifest on ${ctx.host}: neither ${path} nor ${parked} exists`, { path });
    if (r.code !== 0) return failure(ctx, `reading ${path}`, r, { path });
    const nl = r.stdout.indexOf('\n');
    const found = r.stdout.slice(0, nl) === 'at=parked' ? parked : path;
    let facts: EtcdManifestFacts;
    try {
      facts = etcdFactsFromManifest(r.stdout.slice(nl + 1), found);
    } catch (e) {
      return fail(`${errorText(e)} (on ${ctx.host})`, { path: found });
    }
    const given = { cacert: args?.cacert || undefined, cert: args?.cert || undefined, key: args?.key || undefined };
    const candidates = clientTlsCandidates(facts);
    const paths = [...candidates.flatMap((c) => [c.cacert, c.cert, c.key]), ...Object.values(given).filter((p): p is string => !!p)];
    const present = await readable(ctx, paths);
    if ('error' in present) return fail(present.error, { path: found });
    const tls = chooseClientTls(candidates, given, (p) => present.has(p), ctx.host);
    if ('error' in tls) return fail(tls.error, { path: found });
    return ok({ path: found, parked: found !== path, ansible_facts: { etcd: { ...facts, tls } } });
  },
};
