import type { HostRecap } from '../engine/events.js';

/** ansible-playbook style PLAY RECAP lines, one per host. */
export function recapLines(hosts: Record<string, HostRecap>): string[] {
  const names = Object.keys(hosts);
  const width = Math.max(10, ...names.map((n) => n.length));
  return names.map((name) => {
    const r = hosts[name] as HostRecap;
    const cols = (['ok', 'changed', 'unreachable', 'failed', 'skipped', 'rescued', 'ignored'] as const).map((k) =>
      `${k}=${r[k]}`.padEnd(k.length + 5),
    );
    return `${name.padEnd(width)} : ${cols.join(' ')}`.trimEnd();
  });
}

/** Human duration: 850ms, 12.3s, 4m05s. */
export function duration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  const m = Math.floor(ms / 60_000);
  return `${m}m${String(Math.round((ms % 60_000) / 1000)).padStart(2, '0')}s`;
}
