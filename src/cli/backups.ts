import { parseArgs } from 'node:util';
import { EXIT } from '../engine/run.js';
import { openStore } from '../store/client.js';
import { listSnapshots, snapshotJson, storeLocation, type SnapshotEntry } from '../store/list.js';
import { formatBytes } from '../store/progress.js';
import type { CliEnv } from './run-command.js';
import { UsageError } from '../errors/usage-error.js';

const OPTIONS = {
  bucket: { type: 'string', default: 'etcd-backup' },
  prefix: { type: 'string', default: '' },
  output: { type: 'string', short: 'o', default: 'table' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
} as const;

/** `tsplay backups list`: the etcdbrctl snapshots in a bucket/prefix, as a table or JSON; a StoreError goes up to the CLI's handler (exit 5). */
export async function backupsCommand(argv: string[], env: CliEnv): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
  const [action, ...extra] = positionals;
  if (action !== 'list' || extra.length)
    throw new UsageError(`expected "backups list [--bucket B] [--prefix P] [--output json]", got "${positionals.join(' ')}"`);
  if (values.output !== 'table' && values.output !== 'json') throw new UsageError(`--output must be table or json, got "${values.output}"`);
  const store = openStore({ endpoint: values.endpoint, region: values.region });
  const location = storeLocation(values.bucket, values.prefix);
  try {
    const list = await listSnapshots(store, values.bucket, values.prefix, env.signal);
    if (values.output === 'json')
      env.io.out(`${JSON.stringify({ location, endpoint: store.label, snapshots: list.map(snapshotJson) }, null, 2)}\n`);
    else
      env.io.out(
        list.length
          ? `${table(list)}\n${list.length} snapshot${list.length === 1 ? '' : 's'} in ${location} at ${store.label}\n`
          : `no snapshots in ${location} at ${store.label}\n`,
      );
    return EXIT.ok;
  } finally {
    store.destroy();
  }
}

/** Aligned columns: kind, start–last revision, time (UTC), size, compression, final, name. */
export function table(list: readonly SnapshotEntry[]): string {
  const rows = list.map((s) => [
    s.kind,
    `${s.startRevision}–${s.lastRevision}`,
    new Date(s.createdAt * 1000).toISOString().replace('.000Z', 'Z'),
    formatBytes(s.size),
    s.compression,
    s.final ? 'yes' : 'no',
    s.name,
  ]);
  const head = ['KIND', 'REVISIONS', 'TIME (UTC)', 'SIZE', 'COMPRESSION', 'FINAL', 'NAME'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]): string =>
    r
      .map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(head), ...rows.map(line)].join('\n');
}
