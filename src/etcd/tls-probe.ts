// Why an etcd endpoint does not answer: etcdctl 3.4 only says "context deadline exceeded" for a member that is down,
// a server certificate the CA does not sign, a client certificate etcd refuses, or a network that drops packets.
// One TLS handshake per endpoint with openssl s_client, from the host, tells them apart.
import { shellQuote as q } from '../util/shell-quote.js';

/** What stopped a client from talking to an endpoint. */
export type EndpointCause = 'refused' | 'timeout' | 'server-certificate' | 'client-certificate' | 'missing-file' | 'no-openssl' | 'tls-ok';

/** The client files the probe presents. */
export interface ProbeTls {
  cacert: string;
  cert: string;
  key: string;
}

/** A shell script that, for each endpoint i, prints `@@probe i rc=N` and then what openssl printed (at most ~6 s each, run in parallel). */
export function probeCommand(endpoints: readonly string[], tls: ProbeTls): string {
  const files = [tls.cacert, tls.cert, tls.key].map((f) => `[ -r ${q(f)} ] || echo "missing ${f.replace(/["$`\\]/g, '')}"`).join('; ');
  const one = (url: string, i: number): string => {
    const u = new URL(url);
    const hostPort = `${u.hostname}:${u.port || '2379'}`;
    const sClient = `(sleep 1) | timeout 6 openssl s_client -connect ${q(hostPort)} -CAfile ${q(tls.cacert)} -cert ${q(tls.cert)} -key ${q(tls.key)} -verify_return_error -brief`;
    return `( out=$( { ${files}; } 2>&1; ${sClient} 2>&1 ); rc=$?; printf '@@probe %s rc=%s\\n%s\\n' ${i} "$rc" "$out" > "$d/${i}" ) &`;
  };
  return (
    `command -v openssl >/dev/null 2>&1 || { echo '@@no-openssl'; exit 0; }; d=$(mktemp -d) || exit 1; ` +
    `${endpoints.map(one).join(' ')} wait; cat "$d"/* 2>/dev/null; rm -rf "$d"`
  );
}

/** The cause for one endpoint from what openssl printed and its exit code. */
export function classify(output: string, rc: number): EndpointCause {
  if (/^missing /m.test(output)) return 'missing-file';
  if (/Connection refused|connect:errno=111/.test(output)) return 'refused';
  if (/certificate verify failed|verify error:/.test(output)) return 'server-certificate';
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown|handshake failure)/.test(output))
    return 'client-certificate';
  if (/CONNECTION ESTABLISHED/.test(output)) return 'tls-ok';
  if (rc === 124 || /timed out|No route to host|Network is unreachable/.test(output)) return 'timeout';
  return 'refused';
}

/** Parses probeCommand's output: the cause per endpoint index (empty when openssl is not on the host). */
export function parseProbe(stdout: string, count: number): Array<{ cause: EndpointCause; detail: string }> {
  if (stdout.includes('@@no-openssl')) return Array.from({ length: count }, () => ({ cause: 'no-openssl' as const, detail: '' }));
  const out = Array.from({ length: count }, () => ({ cause: 'timeout' as EndpointCause, detail: 'no answer from the probe' }));
  for (const block of stdout.split(/^(?=@@probe )/m)) {
    const m = /^@@probe (\d+) rc=(\d+)\n([\s\S]*)$/.exec(block);
    const i = Number(m?.[1]);
    if (!m || !(i >= 0 && i < count)) continue;
    const text = m[3] ?? '';
    const cause = classify(text, Number(m[2]));
    const detail = text
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => /^missing |refused|verify error|alert|timed out|unreachable|errno/.test(l))
      .slice(0, 2)
      .join('; ');
    out[i] = { cause, detail };
  }
  return out;
}

/** One sentence an operator can act on, for an endpoint that etcdctl could not use. */
export function describeCause(endpoint: string, cause: EndpointCause, tls: ProbeTls, host: string): string {
  switch (cause) {
    case 'missing-file':
      return `${endpoint}: the client TLS files are not all readable on ${host} (${[tls.cacert, tls.cert, tls.key].join(', ')})`;
    case 'refused':
      return `${endpoint}: connection refused: etcd is not running there (member down)`;
    case 'timeout':
      return `${endpoint}: no answer (timeout): the host or a firewall drops the connection`;
    case 'server-certificate':
      return `${endpoint}: the member's server certificate is not signed by ${tls.cacert} (TLS verification failed): etcd_ca names the wrong CA`;
    case 'client-certificate':
      return `${endpoint}: etcd refuses the client certificate ${tls.cert} (TLS alert): it is not signed by the CA in the member's --trusted-ca-file`;
    case 'tls-ok':
      return `${endpoint}: TLS works, but etcd does not answer health checks: the member is up and unhealthy (no leader, no quorum?)`;
    case 'no-openssl':
      return `${endpoint}: not healthy (install openssl on ${host} for the exact cause)`;
  }
}
