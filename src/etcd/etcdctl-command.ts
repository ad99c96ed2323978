import { HAS_ETCDUTL, type OfflineTool } from './offline-tool.js';
import { shellJoin } from '../util/shell-quote.js';

/** How to reach the cluster: endpoints and the client certificate (seed defaults apply in the modules). */
export interface EtcdConnection {
  endpoints: string[];
  cacert: string;
  cert: string;
  key: string;
  /** Seconds for --command-timeout (dial timeout is the smaller of this and 3 s). */
  timeoutS: number;
}

/** The shell command for `etcdctl` (v3 API) against the connection; every value quoted. */
export function etcdctlCommand(c: EtcdConnection, args: readonly string[], json = true): string {
  const t = Math.max(1, Math.round(c.timeoutS));
  const argv = [
    'etcdctl',
    `--endpoints=${c.endpoints.join(',')}`,
    `--cacert=${c.cacert}`,
    `--cert=${c.cert}`,
    `--key=${c.key}`,
    `--dial-timeout=${Math.min(t, 3)}s`,
    `--command-timeout=${t}s`,
    ...(json ? ['-w', 'json'] : []),
    ...args,
  ];
  return `ETCDCTL_API=3 ${shellJoin(argv)}`;
}

/** Prints etcdctl's and etcdutl's versions (one `NAME version: X` line each; etcdutl only when installed). */
export const toolVersionsCommand = `ETCDCTL_API=3 etcdctl version 2>/dev/null | head -n1; if ${HAS_ETCDUTL}; then etcdutl version 2>/dev/null | head -n1; fi`;

/** The installed etcd client tools; offline snapshot commands use etcdutl (3.5+) when present, else etcdctl (3.4). */
export interface ToolVersions {
  etcdctl: string | null;
  etcdutl: string | null;
  offline: OfflineTool;
}

/** Parses the output of toolVersionsCommand. */
export function parseToolVersions(stdout: string): ToolVersions {
  const v = (tool: string): string | null => new RegExp(`^${tool} version:\\s*(\\S+)`, 'm').exec(stdout)?.[1] ?? null;
  const etcdutl = v('etcdutl');
  return { etcdctl: v('etcdctl'), etcdutl, offline: etcdutl ? 'etcdutl' : 'etcdctl' };
}

/** The informative end of a tool's stderr: info logs and client retry noise dropped, at most n lines of 300 chars. */
export function stderrTail(stderr: string, n = 5): string {
  const all = stderr
    .split('\n')
    .map((l) => l.trimEnd())
    .filter(Boolean);
  const useful = all.filter((l) => !/^\{"level":"(info|debug)"/.test(l) && !l.includes('retrying of unary invoker failed'));
  const pick = (useful.length ? useful : all).slice(-n);
  return pick.map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n');
}
