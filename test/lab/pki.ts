import { chmod, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runOk } from './run.js';
import { labDir, members, type Member } from './topology.js';

/** Where the lab's PKI lives on the real machine (generated once, copied into each host). */
export const pkiDir = join(labDir, 'pki');

/** The files of one host's /etc/kubernetes/ssl, as paths under pkiDir. */
export interface HostPki {
  ca: string;
  caKey: string;
  serverCert: string;
  serverKey: string;
  peerCert: string;
  peerKey: string;
  clientCert: string;
  clientKey: string;
  /** kubeadm's etcd/healthcheck-client pair (installed only in the kubeadm certificate layout). */
  healthcheckCert: string;
  healthcheckKey: string;
}

/** Paths of a host's certificates and keys inside .lab/pki. */
export function hostPki(m: Member): HostPki {
  const own = join(pkiDir, m.host);
  return {
    ca: join(pkiDir, 'ca.crt'),
    caKey: join(pkiDir, 'ca.key'),
    serverCert: join(own, 'server.crt'),
    serverKey: join(own, 'server.key'),
    peerCert: join(own, 'peer.crt'),
    peerKey: join(own, 'peer.key'),
    clientCert: join(pkiDir, 'apiserver-etcd-client.crt'),
    clientKey: join(pkiDir, 'apiserver-etcd-client.key'),
    healthcheckCert: join(pkiDir, 'healthcheck-client.crt'),
    healthcheckKey: join(pkiDir, 'healthcheck-client.key'),
  };
}

const keyArgs = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];

/** Creates the CA, per-host server/peer pairs and the apiserver client pair unless they exist. */
export async function ensurePki(): Promise<void> {
  const first = members[0];
  if (first && (await exists(hostPki(first).healthcheckKey)) && (await allHostsHavePki())) return;
  await rm(pkiDir, { recursive: true, force: true });
  await mkdir(pkiDir, { recursive: true, mode: 0o700 });
  const ca = { crt: join(pkiDir, 'ca.crt'), key: join(pkiDir, 'ca.key') };
  await runOk([
    'openssl',
    'req',
    '-x509',
    ...keyArgs,
    '-keyout',
    ca.key,
    '-out',
    ca.crt,
    '-days',
    '3650',
    '-subj',
    '/CN=etcd-ca',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign,digitalSignature',
  ]);
  const tmp = await mkdtemp(join(tmpdir(), 'tsplay-lab-pki-'));
  try {
    for (const m of members) {
      const p = hostPki(m);
      await mkdir(join(pkiDir, m.host), { recursive: true, mode: 0o700 });
      const sans = `DNS:${m.host},DNS:${m.etcdName},DNS:localhost,IP:${m.ip},IP:127.0.0.1`;
      await leaf(tmp, ca, p.serverCert, p.serverKey, `/CN=${m.etcdName}`, sans, 'serverAuth,clientAuth');
      await leaf(tmp, ca, p.peerCert, p.peerKey, `/CN=${m.etcdName}`, sans, 'serverAuth,clientAuth');
    }
    const client = { crt: join(pkiDir, 'apiserver-etcd-client.crt'), key: join(pkiDir, 'apiserver-etcd-client.key') };
    await leaf(tmp, ca, client.crt, client.key, '/O=system:masters/CN=kube-apiserver-etcd-client', '', 'clientAuth');
    const hc = hostPki(first ?? members[0]!);
    await leaf(tmp, ca, hc.healthcheckCert, hc.healthcheckKey, '/O=system:masters/CN=kube-etcd-healthcheck-client', '', 'clientAuth');
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

/** Issues one certificate signed by the lab CA; keys end up mode 0600. */
async function leaf(
  tmp: string,
  ca: { crt: string; key: string },
  crt: string,
  key: string,
  subject: string,
  sans: string,
  usage: string,
): Promise<void> {
  const csr = join(tmp, 'req.csr');
  const ext = join(tmp, 'ext.cnf');
  const lines = [
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature,keyEncipherment',
    `extendedKeyUsage=${usage}`,
    ...(sans ? [`subjectAltName=${sans}`] : []),
  ];
  await writeFile(ext, `${lines.join('\n')}\n`);
  await runOk(['openssl', 'req', '-new', ...keyArgs, '-keyout', key, '-out', csr, '-subj', subject]);
  await runOk([
    'openssl',
    'x509',
    '-req',
    '-in',
    csr,
    '-CA',
    ca.crt,
    '-CAkey',
    ca.key,
    '-set_serial',
    `0x${randomSerial()}`,
    '-days',
    '3650',
    '-extfile',
    ext,
    '-out',
    crt,
  ]);
  await chmod(key, 0o600);
}

function randomSerial(): string {
  return Array.from({ length: 16 }, () => Math.floor(Math.random() * 16).toString(16)).join('');
}

async function allHostsHavePki(): Promise<boolean> {
  for (const m of members) if (!(await exists(hostPki(m).peerKey))) return false;
  return true;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}
