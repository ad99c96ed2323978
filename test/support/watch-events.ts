import type { DeltaEvent } from '../../src/store/delta.js';

interface WatchLineEvent {
  type?: number;
  kv: { key: string; value?: string; mod_revision: number; create_revision?: number; version?: number; lease?: number };
}

/** Parses `etcdctl watch -w json` output (one WatchResponse per line) into delta events, in order. */
export function parseWatchOutput(text: string): DeltaEvent[] {
  const events: DeltaEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim().startsWith('{')) continue;
    const resp = JSON.parse(line) as { Events?: WatchLineEvent[] };
    for (const e of resp.Events ?? []) {
      events.push({
        type: e.type === 1 ? 'delete' : 'put',
        key: Buffer.from(e.kv.key, 'base64'),
        value: e.type === 1 ? undefined : Buffer.from(e.kv.value ?? '', 'base64'),
        modRevision: e.kv.mod_revision,
        createRevision: e.kv.create_revision ?? 0,
        version: e.kv.version ?? 0,
        lease: String(e.kv.lease ?? 0),
      });
    }
  }
  return events;
}
