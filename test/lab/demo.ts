// `npm run demo`: bring the lab up (or reuse it), then check etcd through the tsplay runner with
// playbooks/lab-check.yaml; without a built runner, show the same tables through the lab's etcdctl helper.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { closeGateway } from './etcd-gateway.js';
import { labUp, type Lab } from './lab.js';
import { quietSdkWarning } from './quiet.js';
import { members, repoRoot } from './topology.js';

quietSdkWarning();

/** Runs playbooks/lab-check.yaml with the runner; returns its exit code. */
function runPlaybook(lab: Lab): number {
  const argv = ['bin/tsplay.js', 'run', 'playbooks/lab-check.yaml', '-i', lab.inventory, '--known-hosts', lab.knownHostsFile];
  console.log(`\n$ node ${argv.join(' ')}`);
  return spawnSync(process.execPath, argv, { cwd: repoRoot, stdio: 'inherit' }).status ?? 1;
}

/** Fallback when dist/cli/main.js is missing: the playbook's commands through the etcdctl helper. */
async function showWithEtcdctl(lab: Lab): Promise<number> {
  console.log('\nthe tsplay runner is not built (dist/cli/main.js missing: npm run build); showing etcd through the lab helper instead');
  const endpoints = members.map((m) => `https://${m.ip}:2379`).join(',');
  for (const args of [['member', 'list', '-w', 'table'], ['endpoint', 'status', '-w', 'table']]) {
    const r = await lab.etcdctl('host01', args, endpoints);
    console.log(`\n[host01] etcdctl ${args.join(' ')}\n${r.stdout}${r.stderr}`);
    if (r.code !== 0) return 1;
  }
  return 0;
}

let code = 1;
try {
  const t0 = Date.now();
  const lab = await labUp({ detach: true, log: (l) => console.log(l) });
  console.log(`lab ready in ${((Date.now() - t0) / 1000).toFixed(1)} s (it stays up: npm run lab:status, npm run lab:down)`);
  code = existsSync(join(repoRoot, 'dist/cli/main.js')) ? runPlaybook(lab) : await showWithEtcdctl(lab);
} catch (e) {
  console.error(`demo: ${(e as Error).message}`);
} finally {
  closeGateway();
}
process.exit(code);
