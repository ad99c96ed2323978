// Which client URLs accept a TCP connection, asked from the host in one round trip: a member that is down refuses at
// once, while etcdctl keeps dialling it until its dial timeout. Used to skip etcdctl for endpoints that cannot answer.
import { shellQuote as q } from '../util/shell-quote.js';

/** A script printing `@@listen I 1` or `@@listen I 0` per URL (probed in parallel, at most `timeoutS` each), or `@@listen-unknown` without bash. */
export function listenCommand(urls: readonly string[], timeoutS = 1): string {
  const one = (url: string, i: number): string => {
    const u = new URL(url);
    const host = u.hostname.replace(/^\[(.*)\]$/, '$1');
    const port = u.port || (u.protocol === 'http:' ? '80' : '2379');
    const probe = `timeout ${timeoutS} bash -c ${q(`exec 3<>/dev/tcp/${host}/${port}`)} 2>/dev/null`;
    return `( if ${probe}; then echo '@@listen ${i} 1'; else echo '@@listen ${i} 0'; fi ) &`;
  };
  return `command -v bash >/dev/null 2>&1 || { echo '@@listen-unknown'; exit 0; }; ${urls.map(one).join(' ')} wait`;
}

/** Splits the URLs into those that accept connections (or could not be probed) and those that refused. */
export function parseListen(stdout: string, urls: readonly string[]): { listening: string[]; refused: string[] } {
  if (/^@@listen-unknown$/m.test(stdout)) return { listening: [...urls], refused: [] };
  const down = new Set<number>();
  for (const m of stdout.matchAll(/^@@listen (\d+) 0$/gm)) down.add(Number(m[1]));
  return { listening: urls.filter((_, i) => !down.has(i)), refused: urls.filter((_, i) => down.has(i)) };
}
