// 3. Snapshot transfer: 1 GiB host → S3 → host through tsplay's s3_upload / s3_download (CLI, one lab host, private s3rver)
// versus raw baselines on the same machine: `cat file | ssh host 'cat > /dev/null'` and the AWS SDK (lib-storage Upload with tsplay's part size and queue).
import { DeleteObjectCommand, GetObjectCommand } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import type { HostsLab } from '../test/lab/hosts.js';
import { PART_SIZE, QUEUE_SIZE } from '../src/store/transfer.js';
import { startS3rver } from '../test/support/s3rver.js';
import { repo, tsplayArgv, writeInventory } from './common.js';
import { fmt, log, median, mustOk, sh, timeCmd } from './stats.js';

const MiB = 2 ** 20;
const SIZE_MIB = 1024;

export async function transfer(lab: HostsLab, dir: string, reps: number): Promise<string> {
  const host = lab.hosts[0]!;
  const s3 = await startS3rver();
  const client = s3.client();
  try {
    const inv = join(dir, 'transfer.ini');
    await writeInventory(inv, [{ name: host.name, address: host.address }], lab.clientKeyFile, lab.knownHostsFile);
    const local = join(dir, 'big.db');
    log('writing 1 GiB files (controller and host)');
    await sh(`head -c ${SIZE_MIB * MiB} /dev/urandom > ${local}`);
    const mk = await lab.execIn(host, [
      'sh',
      '-c',
      `cp ${local} /tmp/big.db 2>/dev/null || head -c ${SIZE_MIB * MiB} /dev/urandom > /tmp/big.db`,
    ]);
    if (mk.code !== 0) throw new Error(`creating /tmp/big.db on ${host.name}: ${mk.stderr}`);
    const env = { ...process.env, ...s3.env };
    const bucket = s3.buckets[0]!;
    const r: Record<string, number[]> = { tsUp: [], tsDown: [], sshCat: [], sdkUp: [], sdkDown: [], pipeUp: [], pipeDown: [] };
    const sshArgv = [
      '-i',
      lab.clientKeyFile,
      '-o',
      `UserKnownHostsFile=${lab.knownHostsFile}`,
      '-o',
      'StrictHostKeyChecking=yes',
      `root@${host.address}`,
    ];
    const rss: Record<string, number[]> = { up: [], down: [] };
    for (let i = 0; i < reps; i++) {
      const key = `bench/big-${i}.db`;
      const up = join(dir, `up-${i}.yaml`);
      await writeFile(
        up,
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - s3_upload: { src: /tmp/big.db, bucket: ${bucket}, key: ${key} }\n`,
      );
      const t = mustOk('tsplay s3_upload', await timeCmd(tsplayArgv(up, inv, lab.knownHostsFile, 1), { rss: true, cwd: repo, env }));
      r.tsUp!.push(t.seconds);
      rss.up!.push(t.maxRssMiB ?? NaN);
      const down = join(dir, `down-${i}.yaml`);
      await writeFile(
        down,
        `- hosts: all\n  gather_facts: false\n  tasks:\n    - s3_download: { bucket: ${bucket}, key: ${key}, dest: /tmp/back.db, force: true }\n`,
      );
      await lab.execIn(host, ['rm', '-f', '/tmp/back.db']);
      const d = mustOk('tsplay s3_download', await timeCmd(tsplayArgv(down, inv, lab.knownHostsFile, 1), { rss: true, cwd: repo, env }));
      r.tsDown!.push(d.seconds);
      rss.down!.push(d.maxRssMiB ?? NaN);
      await lab.execIn(host, ['rm', '-f', '/tmp/back.db']);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));

      const c = mustOk(
        'ssh cat',
        await timeCmd(
          [
            `cat ${local} | ssh -i ${lab.clientKeyFile} -o UserKnownHostsFile=${lab.knownHostsFile} -o StrictHostKeyChecking=yes root@${host.address} 'cat > /dev/null'`,
          ],
          { shell: true },
        ),
      );
      r.sshCat!.push(c.seconds);

      const skey = `bench/sdk-${i}.db`;
      let t0 = process.hrtime.bigint();
      await new Upload({
        client,
        params: { Bucket: bucket, Key: skey, Body: createReadStream(local) },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
      }).done();
      r.sdkUp!.push(Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
      const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: skey }));
      await pipeline(got.Body as Readable, createWriteStream(join(dir, 'sdk-back.db')));
      r.sdkDown!.push(Number(process.hrtime.bigint() - t0) / 1e9);
      await sh(`rm -f ${join(dir, 'sdk-back.db')}`);

      // The same two paths as raw pipes with no checks: OpenSSH `cat` on the host piped into/out of the SDK.
      t0 = process.hrtime.bigint();
      const reader = spawn('ssh', [...sshArgv, 'cat /tmp/big.db'], { stdio: ['ignore', 'pipe', 'inherit'] });
      await new Upload({
        client,
        params: { Bucket: bucket, Key: `${skey}.pipe`, Body: reader.stdout },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
      }).done();
      r.pipeUp!.push(Number(process.hrtime.bigint() - t0) / 1e9);
      t0 = process.hrtime.bigint();
      const obj = await client.send(new GetObjectCommand({ Bucket: bucket, Key: skey }));
      const writer = spawn('ssh', [...sshArgv, 'cat > /tmp/pipe-back.db'], { stdio: ['pipe', 'ignore', 'inherit'] });
      const exited = new Promise((res) => writer.on('close', res));
      await pipeline(obj.Body as Readable, writer.stdin);
      await exited;
      r.pipeDown!.push(Number(process.hrtime.bigint() - t0) / 1e9);
      await lab.execIn(host, ['rm', '-f', '/tmp/pipe-back.db']);
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: `${skey}.pipe` }));
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: skey }));
      log(
        `transfer rep ${i + 1}: tsplay up ${fmt(t.seconds)} s down ${fmt(d.seconds)} s, ssh cat ${fmt(c.seconds)} s, sdk up ${fmt(r.sdkUp!.at(-1)!)} s down ${fmt(r.sdkDown!.at(-1)!)} s`,
      );
    }
    const mbps = (s: number): string => fmt(SIZE_MIB / s, 0);
    const row = (name: string, xs: number[], extra = ''): string =>
      `| ${name} | ${fmt(median(xs))} | ${mbps(median(xs))} | ${xs.map((x) => fmt(x)).join(', ')} | ${extra} |`;
    const peakUp = Math.max(...rss.up!);
    const peakDown = Math.max(...rss.down!);
    const peak = Math.max(peakUp, peakDown);
    return [
      '## 3. Snapshot transfer: 1 GiB host ↔ S3',
      '',
      `One lab host (${host.address}, startHosts) and a private s3rver (\`test/support/s3rver.ts\`, a Node process on 127.0.0.1 writing to disk). ${reps} run(s) each. The tsplay times are whole CLI runs (startup, SSH connect, the module's SHA-256 of the file on the host before an upload, the transfer, the verification); the baselines are the raw pipes.`,
      '',
      '| path | median (s) | MiB/s | runs (s) | controller peak RSS |',
      '| --- | ---: | ---: | --- | ---: |',
      row('tsplay `s3_upload` (host → S3)', r.tsUp!, `${fmt(peakUp, 0)} MiB`),
      row('tsplay `s3_download` (S3 → host)', r.tsDown!, `${fmt(peakDown, 0)} MiB`),
      row("baseline `cat file \\| ssh host 'cat > /dev/null'`", r.sshCat!),
      row(`baseline AWS SDK \`Upload\` local file → S3 (${PART_SIZE / MiB} MiB parts, ${QUEUE_SIZE} in flight, as tsplay)`, r.sdkUp!),
      row('baseline AWS SDK `GetObject` S3 → local file', r.sdkDown!),
      row('baseline raw pipe host → S3: `ssh host cat FILE` into SDK `Upload` (no checks)', r.pipeUp!),
      row("baseline raw pipe S3 → host: SDK `GetObject` into `ssh host 'cat > FILE'` (no checks)", r.pipeDown!),
      '',
      `Ratios (tsplay throughput / baseline): **upload vs raw pipe ${fmt(median(r.pipeUp!) / median(r.tsUp!))}**, upload vs SDK local-file upload ${fmt(median(r.sdkUp!) / median(r.tsUp!))}, upload vs ssh cat ${fmt(median(r.sshCat!) / median(r.tsUp!))}; **download vs raw pipe ${fmt(median(r.pipeDown!) / median(r.tsDown!))}**, download vs SDK download to a local file ${fmt(median(r.sdkDown!) / median(r.tsDown!))}. Target ≥ 0.80. The raw pipes do the same transfer as tsplay without its checks (the host-side SHA-256 before the upload, the digest compare, the atomic rename); the ssh-to-/dev/null and local-file rows are upper bounds that skip the object store or the host's disk.`,
      `Controller peak RSS during the transfers: ${fmt(peak, 0)} MiB (target < 200 MiB: ${peak < 200 ? 'met' : '**missed**'}). For the in-process memory growth while streaming see \`node --expose-gc --import tsx bench/transfer-memory.ts 512\` (another engineer's tool, local transport).`,
      '',
      'Commands:',
      '```',
      `head -c 1073741824 /dev/urandom > /tmp/big.db   # on the host; same size on the controller for the baselines`,
      `/usr/bin/time -v node bin/tsplay.js run up.yaml -i INVENTORY -f 1 --known-hosts KNOWN_HOSTS --no-lock -o plain > /dev/null   # - s3_upload: { src: /tmp/big.db, bucket: ${bucket}, key: bench/big-N.db }`,
      `/usr/bin/time -v node bin/tsplay.js run down.yaml ...   # - s3_download: { bucket: ${bucket}, key: bench/big-N.db, dest: /tmp/back.db, force: true }`,
      `cat big.db | ssh -i KEY -o UserKnownHostsFile=KNOWN_HOSTS root@${host.address} 'cat > /dev/null'`,
      '```',
      '',
    ].join('\n');
  } finally {
    client.destroy();
    await s3.stop();
    await sh(`rm -f ${join(dir, 'big.db')}`);
  }
}
