/** Paths and address one lab sshd needs. */
export interface SshdPaths {
  address: string;
  port: number;
  hostKey: string;
  pidFile: string;
  /** false: `PermitRootLogin no` (default: keys only). */
  rootLogin?: boolean | undefined;
}

/** The sshd_config for one lab host: key and password logins, verbose logging, 10 sessions per connection. */
export function sshdConfig(p: SshdPaths): string {
  const listen = p.address.includes(':') ? `[${p.address}]:${p.port}` : `${p.address}:${p.port}`;
  return [
    `ListenAddress ${listen}`,
    `HostKey ${p.hostKey}`,
    `PidFile ${p.pidFile}`,
    `PermitRootLogin ${p.rootLogin === false ? 'no' : 'prohibit-password'}`,
    'PubkeyAuthentication yes',
    'PasswordAuthentication yes',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    'MaxSessions 10',
    'MaxStartups 100:30:200',
    'LogLevel VERBOSE',
    'PrintMotd no',
    'PrintLastLog no',
    'UseDNS no',
    'AuthorizedKeysFile .ssh/authorized_keys',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    '',
  ].join('\n');
}
