import { OPENSHIFT_CERTS_DIR, OPENSHIFT_ETCD_ENV, openshiftEtcd, parseEtcdEnv } from '../etcd/openshift-env.js';
import type { OpenshiftEtcdEnvArgs } from '../generated/playbook.js';
import { shellQuote as q } from '../util/shell-quote.js';
import { failure } from './etcd-client.js';
import { execOn, type ModuleDef } from './module.js';
import { errorText, fail, ok } from './result.js';

/** `openshift_etcd_env`: reads an OpenShift master's etcd.env, finds the master in it and sets the `openshift_etcd` fact (endpoints, certificates at host paths). */
export const openshiftEtcdEnvModule: ModuleDef<OpenshiftEtcdEnvArgs> = {
  name: 'openshift_etcd_env',
  remote: true,
  readOnly: true,
  facts: ['openshift_etcd'],
  async run(args, ctx) {
    const path = args?.path || OPENSHIFT_ETCD_ENV;
    const cmd = `hostname; hostname -f 2>/dev/null || true; echo '---'; if [ -f ${q(path)} ]; then cat -- ${q(path)}; else echo ${q(`no ${path}`)} >&2; exit 2; fi`;
    const r = await execOn(ctx, cmd, { onOutput: undefined });
    if (r.code === 2 && !r.timedOut)
      return fail(`no etcd.env on ${ctx.host}: ${path} does not exist (is this an OpenShift 4 master?)`, { path });
    if (r.code !== 0) return failure(ctx, `reading ${path}`, r, { path });
    const sep = r.stdout.indexOf('---\n');
    const hostnames = r.stdout
      .slice(0, Math.max(sep, 0))
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean);
    let vars: Record<string, string>;
    try {
      vars = parseEtcdEnv(r.stdout.slice(sep + 4));
    } catch (e) {
      return fail(`${path} on ${ctx.host}: ${errorText(e)}`, { path });
    }
    const address = typeof ctx.vars['ansible_host'] === 'string' ? ctx.vars['ansible_host'] : undefined;
    const facts = openshiftEtcd(vars, { node: args?.node || undefined, hostnames, address }, args?.certs_dir || OPENSHIFT_CERTS_DIR);
    if ('error' in facts) return fail(`${path} on ${ctx.host}: ${facts.error}`, { path });
    return ok({
      path,
      msg: `${ctx.host} is ${facts.node} (${facts.client_url}) of ${facts.nodes.length} masters`,
      ansible_facts: { openshift_etcd: facts },
    });
  },
};
