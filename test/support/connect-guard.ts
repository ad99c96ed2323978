// A guard on every TCP connection this test process starts (ssh2, the AWS SDK and anything else go through
// net.Socket.prototype.connect): each attempt is recorded, and one to an address outside 127.0.0.0/8 (or to a
// host name, which would need a DNS query) fails before any packet or lookup is sent.
import net from 'node:net';

/** One connection attempt seen by the guard. */
export interface ConnectAttempt {
  host: string;
  port: number;
  /** True when the guard let it through (a loopback address). */
  allowed: boolean;
}

/** The installed guard: what it saw so far, and how to take it out again. */
export interface ConnectGuard {
  attempts: ConnectAttempt[];
  restore(): void;
}

const LOOPBACK = /^(127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3})$/;

/** Installs the guard on net.Socket.prototype.connect (Unix-socket connections are not network traffic and pass). */
export function guardConnections(): ConnectGuard {
  const original = net.Socket.prototype.connect;
  const attempts: ConnectAttempt[] = [];
  const guarded = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = destination(args);
    if (target === undefined) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const allowed = LOOPBACK.test(target.host);
    attempts.push({ ...target, allowed });
    if (allowed) return (original as (...a: unknown[]) => net.Socket).apply(this, args);
    const err = Object.assign(new Error(`connect guard: refused a connection to ${target.host}:${target.port} (outside 127.0.0.0/8)`), {
      code: 'ECONNREFUSED',
    });
    process.nextTick(() => this.destroy(err));
    return this;
  };
  net.Socket.prototype.connect = guarded as typeof original;
  return {
    attempts,
    restore: () => {
      net.Socket.prototype.connect = original;
    },
  };
}

/** host and port of a connect() call, or undefined for a Unix socket path. */
function destination(args: unknown[]): { host: string; port: number } | undefined {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (first !== null && typeof first === 'object') {
    const o = first as { host?: string; port?: number | string; path?: string };
    if (o.path !== undefined) return undefined;
    return { host: o.host ?? 'localhost', port: Number(o.port) };
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined; // a path
  return { host: typeof args[1] === 'string' ? args[1] : 'localhost', port: Number(first) };
}
