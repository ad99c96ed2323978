// The lab's discover-etcd-initial-cluster (in the etcd image; the etcd container's script runs it): prints the
// ETCD_INITIAL_CLUSTER this member must start with, or fails so that the container restarts and tries again.
// Written from the documented behaviour of the real command:
//   data dir present, cluster unreachable        -> "" (a member restarting alone)
//   no data dir, cluster unreachable             -> error
//   member listed, not started, no data dir      -> the started members plus this one (it joins)
//   member listed, not started, data dir present -> the stale data dir is archived, error (retry)
//   member listed and started, data dir present  -> "" (it restarts with its data)
//   member listed and started, no data dir       -> error: its data was destroyed, it must be removed first
//   member not listed                            -> error after 10 attempts a second apart (the operator has not
//                                                   added it yet)
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { dirname, join } from 'node:path';

interface Member {
  ID?: string;
  name?: string;
  peerURLs?: string[];
  isLearner?: boolean;
}

function flags(argv: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(argv[i] ?? '');
    if (!m?.[1]) continue;
    out.set(m[1], m[2] ?? argv[++i] ?? '');
  }
  return out;
}

function memberList(endpoint: string, agent: Agent): Promise<Member[]> {
  return new Promise((resolve, reject) => {
    const req = request(new URL('/v3/cluster/member/list', endpoint), { method: 'POST', agent, timeout: 2000 }, (res) => {
      let text = '';
      res.on('data', (c: Buffer) => (text += c.toString()));
      res.on('end', () => {
        if (res.statusCode !== 200) {
          reject(new Error(`${endpoint}: HTTP ${String(res.statusCode)}: ${text.slice(0, 200)}`));
          return;
        }
        try {
          resolve((JSON.parse(text) as { members?: Member[] }).members ?? []);
        } catch (e) {
          reject(e as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`${endpoint}: no answer in 2 s`)));
    req.on('error', reject);
    req.end('{}');
  });
}

async function anyMemberList(endpoints: string[], agent: Agent): Promise<Member[]> {
  const errors: string[] = [];
  for (const e of endpoints) {
    try {
      return await memberList(e, agent);
    } catch (err) {
      errors.push((err as Error).message);
    }
  }
  throw new Error(`no etcd endpoint answered: ${errors.join('; ')}`);
}

const describe = (m: Member): string =>
  `{name="${m.name ?? ''}", peerURLs=[${(m.peerURLs ?? []).join(',')}], learner=${String(m.isLearner === true)}}`;

async function main(): Promise<number> {
  const f = flags(process.argv.slice(2));
  const need = ['cacert', 'cert', 'key', 'endpoints', 'data-dir', 'target-peer-url-host', 'target-name'];
  const missing = need.filter((k) => !f.get(k));
  if (missing.length) {
    process.stderr.write(`missing --${missing.join(', --')}\n`);
    return 1;
  }
  let dataDir = f.get('data-dir') ?? '';
  if (dataDir.endsWith('/member')) dataDir = dirname(dataDir);
  const name = f.get('target-name') ?? '';
  const target = `https://${f.get('target-peer-url-host') ?? ''}:2380`;
  const dataDirExists = existsSync(join(dataDir, 'member', 'snap'));
  if (dataDirExists) process.stderr.write(`dataDir is present on ${name}\n`);
  const agent = new Agent({
    ca: readFileSync(f.get('cacert') ?? ''),
    cert: readFileSync(f.get('cert') ?? ''),
    key: readFileSync(f.get('key') ?? ''),
  });
  const endpoints = (f.get('endpoints') ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let attempt = 0; attempt < 10; attempt++) {
    process.stderr.write(`#### attempt ${attempt}\n`);
    let members: Member[];
    try {
      members = await anyMemberList(endpoints, agent);
    } catch (e) {
      if (dataDirExists) {
        process.stderr.write(
          `failed to reach the cluster, but ${name} was a member before (its data dir exists): starting as a member: ${(e as Error).message}\n`,
        );
        console.log('');
        return 0;
      }
      process.stderr.write(`failed to reach the cluster: ${(e as Error).message}\n`);
      return 1;
    }
    for (const m of members) process.stderr.write(`      member=${describe(m)}\n`);
    const self = members.find((m) => (m.peerURLs ?? []).includes(target));
    if (self) process.stderr.write(`      target=${describe(self)}\n`);
    const started = Boolean(self?.name);
    if (self && !started && !dataDirExists) {
      const cluster = members.filter((m) => m.name).flatMap((m) => (m.peerURLs ?? []).map((u) => `${m.name ?? ''}=${u}`));
      cluster.push(`${name}=${self.peerURLs?.[0] ?? target}`);
      console.log(cluster.join(','));
      return 0;
    }
    if (self && !started && dataDirExists) {
      const archived = `${join(dataDir, 'member')}-removed-archive-${new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '')}`;
      renameSync(join(dataDir, 'member'), archived);
      process.stderr.write(`member "${target}" is unstarted but previous members dataDir exists: archiving to "${archived}"\n`);
      return 1;
    }
    if (self && dataDirExists) {
      console.log('');
      return 0;
    }
    if (self) {
      process.stderr.write(`member "${target}" dataDir has been destroyed and must be removed from the cluster\n`);
      return 1;
    }
    process.stderr.write(
      dataDirExists
        ? `member "${target}" not found in member list but dataDir exists, check operator logs for possible scaling problems\n#### sleeping...\n`
        : `member "${target}" not found in member list, check operator logs for possible scaling problems\n#### sleeping...\n`,
    );
    await new Promise((r) => setTimeout(r, 1000));
  }
  process.stderr.write('timed out\n');
  return 1;
}

process.exitCode = await main();
