// The etcd modules (etcd_manifest, etcd_facts, etcd_snapshot, static_pod, etcd_member) run through the real CLI
// against the lab: 3 TLS etcd 3.4 members run as static pods behind real sshd.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dumpAll } from '../lab/etcd-data.js';
import type { Lab } from '../lab/lab.js';
import { withLab } from '../lab/with-lab.js';
import { tsplay, type CliRun } from '../support/cli.js';

const scratch = mkdtempSync(join(tmpdir(), 'tsplay-etcd-modules-'));
let n = 0;

/** Writes a playbook and runs it on the lab with JSON events. */
async function play(lab: Lab, yaml: string, ...extra: string[]): Promise<CliRun> {
  const file = join(scratch, `pb${n++}.yaml`);
  writeFileSync(file, yaml);
  return tsplay([
    'run',
    file,
    '-i',
    lab.inventory,
    '--known-hosts',
    lab.knownHostsFile,
    '-o',
    'json',
    '--yes',
    '--journal',
    join(scratch, `j${n}.jsonl`),
    ...extra,
  ]);
}

/** host → result of the task with this name. */
function results(run: CliRun, task: string): Record<string, Record<string, unknown>> {
  const out: Record<string, Record<string, unknown>> = {};
  for (const e of run.events) if (e.type === 'host-result' && e.task === task) out[e.host] = e.result;
  return out;
}

function why(r: CliRun): string {
  return `${r.stderr}\n${r.events
    .filter((e) => e.type === 'host-result' && e.status === 'failed')
    .map((e) => (e.type === 'host-result' ? `${e.host} ${e.task}: ${e.msg}` : ''))
    .join('\n')}`;
}

const urls = (lab: Lab, hosts: number[]): string => JSON.stringify(hosts.map((i) => `https://${lab.members[i - 1]?.ip ?? ''}:2379`));

async function memberTable(lab: Lab): Promise<Array<{ id: string; name: string; learner: boolean }>> {
  const r = await lab.etcdctl('host01', ['member', 'list']); // simple format prints hex IDs, like the table
  assert.equal(r.code, 0, r.stderr);
  return r.stdout
    .trim()
    .split('\n')
    .map((l) => l.split(', '))
    .map((f) => ({ id: f[0] ?? '', name: f[2] ?? '', learner: f[5] === 'true' }));
}

test('etcd modules on the lab', { timeout: 600_000 }, async (t) => {
  await withLab(async (lab) => {
    await t.test(
      'etcd_manifest and etcd_facts on every master: 3 healthy, one leader, revisions match, IDs as etcdctl prints them',
      async () => {
        const r = await play(
          lab,
          `
- hosts: masters
  tasks:
    - name: manifest
      etcd_manifest: {}
    - name: facts
      etcd_facts: { cluster: true }
    - name: the fact is usable by later tasks
      assert: { that: ["etcd.name == etcd_name", "etcd.data_dir == '/var/lib/etcd'"] }
`,
          '--check',
        );
        assert.equal(r.code, 0, why(r));
        const manifests = results(r, 'manifest');
        const facts = results(r, 'facts');
        const table = await memberTable(lab);
        for (const [i, host] of ['host01', 'host02', 'host03'].entries()) {
          const etcd = (manifests[host]?.['ansible_facts'] as { etcd: Record<string, unknown> } | undefined)?.etcd ?? {};
          assert.equal(etcd['name'], `controller-node-${i + 1}`);
          assert.equal(etcd['client_url'], `https://127.0.1.${i + 1}:2379`);
          assert.equal(etcd['initial_cluster_state'], 'new');
          assert.equal(etcd['initial_cluster_token'], 'tsplay-lab-etcd', 'the cluster token is not a secret (not masked)');
          assert.equal((etcd['initial_cluster_members'] as unknown[]).length, 3);
          const f = facts[host] ?? {};
          assert.equal(f['healthy'], 3, `${host}: ${JSON.stringify(f['health'])}`);
          assert.equal(f['revisions_match'], true);
          const status = f['status'] as Array<{ is_leader: boolean; id: string; revision: number }>;
          assert.equal(status.filter((s) => s.is_leader).length, 1);
          assert.equal(f['leader'], status.find((s) => s.is_leader)?.id);
          const members = f['members'] as Array<{ id: string; name: string }>;
          assert.deepEqual(members.map((m) => `${m.id} ${m.name}`).sort(), table.map((m) => `${m.id} ${m.name}`).sort());
          assert.deepEqual(f['tool'], { etcdctl: '3.4.23', etcdutl: null, offline: 'etcdctl' });
        }
      },
    );

    await t.test('etcd_snapshot save on host01, status, restore on host02 twice (the first restore is moved aside)', async () => {
      const fetched = join(scratch, 'snap.db');
      const r = await play(
        lab,
        `
- hosts: host01
  tasks:
    - etcd_manifest: {}
    - name: save
      etcd_snapshot: { action: save, endpoint: "{{etcd.client_url}}", dest: /var/lib/tsplay-test/snap.db }
    - name: status
      etcd_snapshot: { action: status, path: /var/lib/tsplay-test/snap.db }
    - fetch: { src: /var/lib/tsplay-test/snap.db, dest: ${JSON.stringify(fetched)}, flat: true }
- hosts: host02
  tasks:
    - file: { path: /var/lib/tsplay-test, state: directory, mode: "0700" }
    - copy: { src: ${JSON.stringify(fetched)}, dest: /var/lib/tsplay-test/snap.db, mode: "0600" }
    - name: restore
      etcd_snapshot:
        action: restore
        path: /var/lib/tsplay-test/snap.db
        data_dir: /var/lib/etcd-test-restore
        name: controller-node-2
        initial_cluster: "{{etcd_initial_cluster}}"
        initial_advertise_peer_urls: "{{etcd_peer_url}}"
        initial_cluster_token: restored-token
    - name: restore again, asking for a revision bump
      etcd_snapshot:
        action: restore
        path: /var/lib/tsplay-test/snap.db
        data_dir: /var/lib/etcd-test-restore
        name: controller-node-2
        initial_cluster: "{{etcd_initial_cluster}}"
        initial_advertise_peer_urls: "{{etcd_peer_url}}"
        initial_cluster_token: restored-token
        bump_revision: 1000
        mark_compacted: true
`,
      );
      assert.equal(r.code, 0, why(r));
      const saved = results(r, 'save')['host01'] ?? {};
      const status = results(r, 'status')['host01'] ?? {};
      assert.equal(saved['changed'], true);
      for (const k of ['hash', 'revision', 'total_keys', 'total_size', 'sha256', 'size']) assert.equal(status[k], saved[k], k);
      assert.ok(Number(saved['total_keys']) > 235, 'the seed keys are in the snapshot');
      const onHost = await lab.execIn('host01', [
        'sh',
        '-c',
        'stat -c %a /var/lib/tsplay-test/snap.db; sha256sum /var/lib/tsplay-test/snap.db; ls /var/lib/tsplay-test',
      ]);
      assert.equal(onHost.stdout.split('\n')[0], '600');
      assert.equal(onHost.stdout.split('\n')[1]?.split(' ')[0], saved['sha256']);
      assert.doesNotMatch(onHost.stdout, /\.part/);
      const first = results(r, 'restore')['host02'] ?? {};
      const second = results(r, 'restore again, asking for a revision bump')['host02'] ?? {};
      assert.equal(first['moved_aside'], null);
      assert.equal(first['tool'], 'etcdctl');
      assert.equal(first['revision'], saved['revision']);
      assert.match(String(second['moved_aside']), /^\/var\/lib\/etcd-test-restore\.tsplay-\d{8}T\d{6}$/);
      assert.equal(second['bump_revision_supported'], false, 'etcdctl 3.4.23 has no --bump-revision');
      assert.equal(second['revision'], saved['revision'], 'no bump applied');
      const dirs = await lab.execIn('host02', [
        'sh',
        '-c',
        `stat -c '%a %n' /var/lib/etcd-test-restore /var/lib/etcd-test-restore/member ${String(second['moved_aside'])}/member`,
      ]);
      assert.equal(dirs.code, 0, dirs.stderr);
      assert.match(dirs.stdout, /^700 \/var\/lib\/etcd-test-restore\n/);
      const check = await play(
        lab,
        `
- hosts: host02
  tasks:
    - name: restore in check mode
      etcd_snapshot: { action: restore, path: /var/lib/tsplay-test/snap.db, data_dir: /var/lib/etcd-test-restore, name: x, initial_cluster: x=https://127.0.1.2:2380, initial_advertise_peer_urls: https://127.0.1.2:2380, initial_cluster_token: t }
`,
        '--check',
      );
      assert.equal(check.code, 0, why(check));
      const c = results(check, 'restore in check mode')['host02'] ?? {};
      assert.equal(c['changed'], true);
      // one command (status, move aside, restore: one round trip), the move it would make named in msg
      assert.equal((c['would_run'] as string[]).length, 1);
      assert.match(String((c['would_run'] as string[])[0]), /snapshot status .* mv -- .* snapshot restore /);
      assert.match(String(c['msg']), /would be moved aside to \/var\/lib\/etcd-test-restore\.tsplay-\d{8}T\d{6} first/);
      const asides = await lab.execIn('host02', ['sh', '-c', 'ls -d /var/lib/etcd-test-restore.tsplay-* | wc -l']);
      assert.equal(asides.stdout.trim(), '1', 'check mode moved nothing');
    });

    await t.test('static_pod stops etcd on host03 (2 healthy), is idempotent, and starts it again (3 healthy)', async () => {
      const facts = `
    - name: facts
      etcd_facts: { endpoints: ${urls(lab, [1, 2, 3])}, timeout: 3 }
      register: f
      until: f.healthy == want
      retries: 20
      delay: 1`;
      const dry = await play(
        lab,
        `
- hosts: host03
  tasks:
    - name: stop
      static_pod: { name: etcd, state: stopped, port: 2379 }
`,
        '--check',
      );
      assert.equal(dry.code, 0, why(dry));
      assert.match(
        String(results(dry, 'stop')['host03']?.['would_run']),
        /mv -- \/etc\/kubernetes\/manifests\/etcd.yaml \/etc\/kubernetes\/manifests-parked\/etcd.yaml/,
      );
      assert.equal((await lab.health()).filter((h) => h.etcdHealthy).length, 3, 'check mode stopped nothing');
      const r = await play(
        lab,
        `
- hosts: host03
  tasks:
    - name: stop
      static_pod: { name: etcd, state: stopped, port: 2379, timeout: 30 }
    - name: stop again
      static_pod: { name: etcd, state: stopped, port: 2379 }
- hosts: host01
  vars: { want: 2 }
  tasks:${facts}
- hosts: host03
  tasks:
    - name: start
      static_pod: { name: etcd, state: started, port: 2379, timeout: 60 }
- hosts: host01
  vars: { want: 3 }
  tasks:${facts}
`,
      );
      assert.equal(r.code, 0, why(r));
      const stop = results(r, 'stop')['host03'] ?? {};
      assert.equal(stop['changed'], true);
      assert.equal(stop['parked_at'], '/etc/kubernetes/manifests-parked/etcd.yaml');
      assert.deepEqual(stop['waited_for'], ['process', 'port'], 'the process first, the port once it is gone');
      assert.equal(results(r, 'stop again')['host03']?.['changed'], false);
      assert.equal(results(r, 'start')['host03']?.['changed'], true);
      const healthy = r.events
        .filter((e) => e.type === 'host-result' && e.task === 'facts')
        .map((e) => (e.type === 'host-result' ? e.result['healthy'] : -1));
      assert.deepEqual([healthy[0], healthy.at(-1)], [2, 3]);
      const parked = await lab.execIn('host03', ['stat', '-c', '%a', '/etc/kubernetes/manifests-parked']);
      assert.equal(parked.stdout.trim(), '700');
    });

    await t.test(
      'etcd_member refuses unsafe removals, then replaces host03 like the seed: remove, add as learner, start existing, promote',
      async () => {
        const healthyRefusal = await play(
          lab,
          `
- hosts: host01
  tasks:
    - name: remove a healthy member
      etcd_member: { action: remove, name: controller-node-3 }
`,
        );
        assert.equal(healthyRefusal.code, 2);
        assert.match(
          String(results(healthyRefusal, 'remove a healthy member')['host01']?.['msg']),
          /refusing to remove controller-node-3: controller-node-3 is healthy/,
        );
        assert.equal((await memberTable(lab)).length, 3);

        const quorum = await play(
          lab,
          `
- hosts: host02:host03
  tasks:
    - static_pod: { name: etcd, state: stopped, port: 2379 }
- hosts: host01
  tasks:
    - name: remove with two of three down
      etcd_member: { action: remove, name: controller-node-3, force: true, timeout: 3 }
      ignore_errors: true
- hosts: host02:host03
  tasks:
    - static_pod: { name: etcd, state: started, port: 2379 }
- hosts: host01
  tasks:
    - name: wait until the three members are healthy again
      etcd_facts: { endpoints: ${urls(lab, [1, 2, 3])}, timeout: 3 }
      register: f
      until: f.healthy == 3
      retries: 30
      delay: 1
`,
        );
        assert.equal(quorum.code, 0, why(quorum));
        assert.match(
          String(results(quorum, 'remove with two of three down')['host01']?.['msg']),
          /refusing to remove controller-node-3: the cluster has no quorum now \(\d of 3 voting members healthy, 2 needed\)/,
        );
        const before = await memberTable(lab);
        assert.equal(before.length, 3);
        const oldId = before.find((m) => m.name === 'controller-node-3')?.id;

        const others = urls(lab, [1, 2]);
        const r = await play(
          lab,
          `
- hosts: host03
  tasks:
    - etcd_manifest: {}
    - name: the member fails (its pod stops)
      static_pod: { name: etcd, state: stopped, port: 2379 }
      register: stopped
    - name: wipe its data dir (kept aside)
      command: mv {{q etcd.data_dir}} {{q etcd.data_dir}}.replaced
    - name: remove
      etcd_member: { action: remove, name: "{{etcd.name}}", endpoints: ${others}, timeout: 3 }
    - name: remove again
      etcd_member: { action: remove, name: "{{etcd.name}}", endpoints: ${others} }
    - name: add as learner
      etcd_member: { action: add, name: "{{etcd.name}}", peer_urls: "{{etcd.peer_url}}", learner: true, endpoints: ${others} }
      register: added
    - name: add again
      etcd_member: { action: add, name: "{{etcd.name}}", peer_urls: ["{{etcd.peer_url}}"], learner: true, endpoints: ${others} }
    - name: join the existing cluster
      shell: sed -i -e "s|--initial-cluster-state=new|--initial-cluster-state=existing|" -e "s|--initial-cluster=.*|--initial-cluster=$IC|" {{q stopped.parked_at}}
      environment: { IC: "{{added.initial_cluster}}" }
    - name: start
      static_pod: { name: etcd, state: started, port: 2379, timeout: 60 }
    - name: promote
      etcd_member: { action: promote, name: "{{etcd.name}}", endpoints: ${others} }
      register: promoted
      until: promoted is succeeded
      retries: 30
      delay: 1
    - name: promote again
      etcd_member: { action: promote, name: "{{etcd.name}}", endpoints: ${others} }
    - name: facts
      etcd_facts: { cluster: true, endpoints: ${others} }
      register: f
      until: f.healthy == 3 and f.revisions_match
      retries: 20
      delay: 1
`,
        );
        assert.equal(r.code, 0, why(r));
        const one = (task: string): Record<string, unknown> => results(r, task)['host03'] ?? {};
        assert.equal(one('remove')['changed'], true, 'an unhealthy member is removed without force');
        assert.equal(one('remove again')['changed'], false);
        assert.equal(one('add as learner')['changed'], true);
        assert.equal(one('add as learner')['initial_cluster_state'], 'existing');
        const sorted = (x: unknown): string => String(x).split(',').sort().join(',');
        assert.equal(
          sorted(one('add as learner')['initial_cluster']),
          sorted(lab.members.map((m) => `${m.etcdName}=https://${m.ip}:2380`).join(',')),
        );
        assert.equal(one('add again')['changed'], false);
        assert.equal(one('add again')['member_id'], one('add as learner')['member_id']);
        assert.equal(one('promote')['changed'], true);
        assert.equal(one('promote again')['changed'], false);
        assert.equal(one('facts')['healthy'], 3);
        const after = await memberTable(lab);
        const m3 = after.find((m) => m.name === 'controller-node-3');
        assert.ok(m3 && m3.id !== oldId && !m3.learner, JSON.stringify(after));
        assert.equal(m3.id, one('add as learner')['member_id']);
        const [d1, d3] = await Promise.all([dumpAll(lab.member('host01')), dumpAll(lab.member('host03'))]);
        assert.deepEqual(d3, d1, 'the new member holds the same data');
      },
    );
  });
});
