// Jump hosts as OpenSSH users write them in `ansible_ssh_common_args`: `-J` / `-o ProxyJump=` (a comma-separated
// chain of `[user@]host[:port]` or `ssh://[user@]host[:port]`) and `-o ProxyCommand="ssh -W %h:%p ... bastion"`.
import { basename } from 'node:path';
import { splitWords } from '../util/split-words.js';

/** One jump host as written; what it leaves out comes from the target host's settings (see connection-spec). */
export interface JumpHop {
  address: string;
  port?: number | undefined;
  user?: string | undefined;
  /** `-i FILE` / `-o IdentityFile=FILE` of a ProxyCommand. */
  privateKeyFile?: string | undefined;
  /** `-o UserKnownHostsFile=...` of a ProxyCommand. */
  knownHostsFiles?: string[] | undefined;
  /** `-o StrictHostKeyChecking=accept-new|no` of a ProxyCommand. */
  acceptNewHostKeys?: boolean | undefined;
}

/** Parsed hops, or why the value cannot be used. */
export type JumpParse = { hops: JumpHop[] } | { error: string };

/** `[user@]host[:port]`, `[user@][v6addr]:port` or `ssh://[user@]host[:port]` (OpenSSH's ProxyJump syntax). */
export function parseDestination(raw: string): { hop: JumpHop } | { error: string } {
  let s = raw.trim();
  const uri = s.startsWith('ssh://');
  if (uri) s = s.slice('ssh://'.length).replace(/\/$/, '');
  const at = s.lastIndexOf('@');
  const user = at >= 0 ? s.slice(0, at) : undefined;
  let rest = at >= 0 ? s.slice(at + 1) : s;
  let port: number | undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(rest);
  if (v6) {
    rest = v6[1] ?? '';
    port = v6[2] === undefined ? undefined : Number(v6[2]);
  } else if ((rest.match(/:/g) ?? []).length === 1) {
    const [h = '', p = ''] = rest.split(':');
    if (!/^\d+$/.test(p)) return { error: `"${raw}": the port must be a number` };
    rest = h;
    port = Number(p);
  }
  if (user === '' || rest === '' || /[\s/%]/.test(rest) || (user !== undefined && /[\s%]/.test(user)))
    return { error: `"${raw}" is not [user@]host[:port]` };
  if (port !== undefined && !(port >= 1 && port <= 65535)) return { error: `"${raw}": the port must be 1-65535` };
  return { hop: { address: rest, port, user } };
}

/** A ProxyJump value: `none`, or a comma-separated chain of destinations (the first is contacted first). */
export function parseProxyJump(value: string): JumpParse {
  if (value.trim().toLowerCase() === 'none') return { hops: [] };
  const hops: JumpHop[] = [];
  for (const part of value.split(',')) {
    const d = parseDestination(part);
    if ('error' in d) return { error: `ProxyJump ${d.error}` };
    hops.push(d.hop);
  }
  return { hops };
}

/** ssh flags (no argument) that change nothing about where and how the jump connection goes: quiet, verbose, no tty, ... */
const HARMLESS_FLAGS = '46AaCfgKkNnqTtvXxYy';
/** ssh options taking an argument (getopt "B:b:c:D:E:e:F:I:i:J:L:l:m:O:o:P:p:Q:R:S:W:w:"). */
const WITH_ARG = 'BbcDEeFIiJLlmOoPpQRSWw';
/** ...of which tsplay can ignore these (log file, escape character, ciphers, MACs). */
const HARMLESS_WITH_ARG = 'Eecm';

/** Splits ssh's command-line words like its getopt: `-qT`, `-p2222`, `-p 2222`; options may follow the destination. */
function sshOptions(args: string[]): { options: Array<[string, string | undefined]>; positional: string[] } | { error: string } {
  const options: Array<[string, string | undefined]> = [];
  const positional: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const w = args[i] ?? '';
    if (!w.startsWith('-') || w === '-') {
      positional.push(w);
      continue;
    }
    if (w === '--') {
      positional.push(...args.slice(i + 1));
      break;
    }
    for (let c = 1; c < w.length; c++) {
      const flag = w[c] ?? '';
      if (!WITH_ARG.includes(flag)) {
        options.push([flag, undefined]);
        continue;
      }
      const arg = c + 1 < w.length ? w.slice(c + 1) : args[++i];
      if (arg === undefined) return { error: `ProxyCommand: -${flag} needs a value` };
      options.push([flag, arg]);
      break;
    }
  }
  return { options, positional };
}

const UNSUPPORTED_HINT =
  'tsplay runs no local command to connect: write -o ProxyJump=[user@]bastion[:port], or ProxyCommand="ssh -W %h:%p [-p port] [-i key] [user@]bastion"';

/**
 * A ProxyCommand value: `none`, or `ssh ... -W %h:%p [user@]bastion` (options before or after the destination, as
 * OpenSSH accepts them), read as one more jump host (after any -J chain it names). Anything that would run another
 * program or a command on the bastion (`nc %h %p`, `connect-proxy`, ...) is refused with a hint.
 */
export function parseProxyCommand(value: string): JumpParse {
  if (value.trim().toLowerCase() === 'none') return { hops: [] };
  let words: string[];
  try {
    words = splitWords(value);
  } catch (e) {
    return { error: `ProxyCommand: ${(e as Error).message}` };
  }
  const [cmd, ...args] = words[0] === 'exec' ? words.slice(1) : words;
  if (cmd === undefined || basename(cmd) !== 'ssh')
    return { error: `ProxyCommand "${value}" is not supported (only "ssh -W %h:%p ..."); ${UNSUPPORTED_HINT}` };
  const parsed = sshOptions(args);
  if ('error' in parsed) return parsed;
  const hop: Partial<JumpHop> = {};
  let before: JumpHop[] = [];
  let forward: string | undefined;
  for (const [flag, arg] of parsed.options) {
    if (arg === undefined) {
      if (HARMLESS_FLAGS.includes(flag)) continue;
      return { error: `ProxyCommand option -${flag} is not supported; ${UNSUPPORTED_HINT}` };
    }
    if (HARMLESS_WITH_ARG.includes(flag)) continue;
    if (flag === 'W') forward = arg;
    else if (flag === 'p') hop.port = Number(arg);
    else if (flag === 'l') hop.user = arg;
    else if (flag === 'i') hop.privateKeyFile = arg;
    else if (flag === 'J') {
      const j = parseProxyJump(arg);
      if ('error' in j) return { error: `ProxyCommand: ${j.error}` };
      before = j.hops;
    } else if (flag === 'o') {
      const problem = applyOption(hop, arg, (j) => (before = j));
      if (problem) return { error: `ProxyCommand: ${problem}` };
    } else return { error: `ProxyCommand option -${flag} is not supported; ${UNSUPPORTED_HINT}` };
  }
  const { positional } = parsed;
  const [dest] = positional;
  if (positional.length > 1)
    return { error: `ProxyCommand runs "${positional.slice(1).join(' ')}" on ${dest}: not supported; ${UNSUPPORTED_HINT}` };
  if (dest === undefined) return { error: `ProxyCommand "${value}" names no jump host` };
  if (forward === undefined) return { error: `ProxyCommand "${value}" has no -W %h:%p; ${UNSUPPORTED_HINT}` };
  if (forward !== '%h:%p' && forward !== '[%h]:%p')
    return { error: `ProxyCommand -W ${forward}: only -W %h:%p is supported (the host's own address and port)` };
  const d = parseDestination(dest);
  if ('error' in d) return { error: `ProxyCommand: ${d.error}` };
  if (hop.port !== undefined && !(Number.isInteger(hop.port) && hop.port >= 1 && hop.port <= 65535))
    return { error: `ProxyCommand: -p must be a port number (1-65535)` };
  return { hops: [...before, { ...d.hop, ...definedOnly(hop), user: hop.user ?? d.hop.user, port: d.hop.port ?? hop.port }] };
}

/** One `-o Key=value` (or `-o "Key value"`) inside a ProxyCommand; returns a problem for options that matter but are unsupported. */
function applyOption(hop: Partial<JumpHop>, opt: string, setJump: (hops: JumpHop[]) => void): string | undefined {
  const m = /^(\w+)\s*(?:=|\s)\s*(.*)$/.exec(opt.trim());
  if (!m) return `-o ${opt} is not Key=value`;
  const key = (m[1] ?? '').toLowerCase();
  const value = m[2] ?? '';
  if (key === 'user') hop.user ??= value;
  else if (key === 'port') hop.port ??= Number(value);
  else if (key === 'identityfile') hop.privateKeyFile ??= value;
  else if (key === 'userknownhostsfile') hop.knownHostsFiles ??= value.split(/\s+/).filter(Boolean);
  else if (key === 'stricthostkeychecking') hop.acceptNewHostKeys ??= /^(accept-new|no|off)$/i.test(value);
  else if (key === 'proxyjump') {
    const j = parseProxyJump(value);
    if ('error' in j) return j.error;
    setJump(j.hops);
  } else if (key === 'proxycommand') return '-o ProxyCommand inside a ProxyCommand is not supported (use -J for a chain)';
  return undefined;
}

function definedOnly(o: Partial<JumpHop>): Partial<JumpHop> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
