import { hostPaths, clientUrl, type Member } from './topology.js';

/** argv for etcdctl (v3 API) against a member with the seed's certificate flags. */
export function etcdctlArgv(m: Member, args: string[], endpoints: string = clientUrl(m)): string[] {
  return [
    'env',
    'ETCDCTL_API=3',
    'etcdctl',
    `--endpoints=${endpoints}`,
    `--cacert=${hostPaths.etcdCa}`,
    `--cert=${hostPaths.clientCert}`,
    `--key=${hostPaths.clientKey}`,
    '--command-timeout=5s',
    '--dial-timeout=3s',
    ...args,
  ];
}
