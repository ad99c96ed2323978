// What a host's connection is once resolved (src/connection/connection-spec.ts): where and as whom to connect, through
// which jump hosts, and how to become another user. The transports take these; nothing here touches a network.

/** Privilege escalation for one command: sudo to `user`, password (if any) fed on stdin, never on the command line. */
export interface Become {
  user: string;
  password?: string | undefined;
}

/** How to reach a host, resolved from inventory connection variables and CLI options. */
export interface ConnectionSpec {
  host: string;
  connection: 'ssh' | 'local';
  address: string;
  port: number;
  user: string;
  privateKeyFile?: string | undefined;
  password?: string | undefined;
  /** known_hosts files to check host keys against (first one receives new keys with acceptNewHostKeys). */
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
  connectTimeoutMs: number;
  keepaliveIntervalMs: number;
  /** At most this many channels (commands, transfers) in flight on the connection. */
  maxChannels: number;
  useAgent: boolean;
  /** Jump hosts the connection is tunnelled through (OpenSSH ProxyJump), first contacted first; absent or empty: direct. */
  jumpHosts?: JumpHost[] | undefined;
}

/** One jump host (bastion), resolved: its own host key is checked like any host's; the host's password is never sent to it. */
export interface JumpHost {
  address: string;
  port: number;
  user: string;
  /** The ProxyCommand's -i key, else the host's key file, else the default identities (~/.ssh/id_*); ssh-agent when the host uses it. */
  privateKeyFile?: string | undefined;
  knownHostsFiles: string[];
  acceptNewHostKeys: boolean;
}
