// The one place that chooses the tool for offline snapshot commands (`snapshot status`, `snapshot restore`):
// etcd 3.4 has them in etcdctl only; 3.5 moved them to etcdutl (etcdctl's still work, with a deprecation warning);
// 3.6 removed them from etcdctl. So: etcdutl whenever the host has it, else etcdctl with the v3 API.
import { shellJoin } from '../util/shell-quote.js';

/** The tool that runs offline snapshot commands on a host. */
export type OfflineTool = 'etcdutl' | 'etcdctl';

/** Exits 0 when the host has etcdutl (so offline commands use it). */
export const HAS_ETCDUTL = 'command -v etcdutl >/dev/null 2>&1';

/** Prints `tool=etcdutl` or `tool=etcdctl`: what offlineCommand will run on this host. */
export const offlineToolProbe = `if ${HAS_ETCDUTL}; then echo tool=etcdutl; else echo tool=etcdctl; fi`;

/** The offline tool named by a probe line (`tool=...`), etcdctl when unknown. */
export function parseOfflineTool(stdout: string): OfflineTool {
  return /^tool=etcdutl$/m.test(stdout) ? 'etcdutl' : 'etcdctl';
}

/**
 * A command line running argv (e.g. `snapshot status FILE -w json`) with the offline tool: the given one, or, when
 * not known yet, whichever the host has (decided on the host at run time). Every word is shell-quoted.
 */
export function offlineCommand(argv: readonly string[], tool?: OfflineTool): string {
  const withUtl = shellJoin(['etcdutl', ...argv]);
  const withCtl = `ETCDCTL_API=3 ${shellJoin(['etcdctl', ...argv])}`;
  if (tool === 'etcdutl') return withUtl;
  if (tool === 'etcdctl') return withCtl;
  return `if ${HAS_ETCDUTL}; then ${withUtl}; else ${withCtl}; fi`;
}
