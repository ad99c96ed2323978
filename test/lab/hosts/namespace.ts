import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { killGroup, mountNamespaceOf } from './proc.js';
import { NAMESPACE_SCRIPT } from './ns-script.js';

/** The repository (node_modules, test/lab): kept visible inside hosts, e.g. when it was cloned under /tmp. */
const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');

/** A running namespace holder: its pid (also its process group) and mount-namespace id. */
export interface NamespaceHolder {
  pid: number;
  ns: string;
  varLib: 'overlay' | 'bind';
}

/** Starts `unshare --mount --uts --propagation private --fork` running the setup script; resolves once it prints READY. */
export function startNamespace(name: string, dir: string, base: string, timeoutMs = 15_000): Promise<NamespaceHolder> {
  const child = spawn('unshare', ['--mount', '--uts', '--propagation', 'private', '--fork', 'sh', '-c', NAMESPACE_SCRIPT], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, H_NAME: name, H_DIR: dir, LAB_KEEP: `${repoRoot}\n${base}` },
  });
  let out = '';
  let err = '';
  return new Promise((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      killGroup(child.pid);
      reject(new Error(`lab host ${name}: namespace setup failed: ${why}${err ? `\n${err.trim()}` : ''}`));
    };
    const timer = setTimeout(() => fail(`no READY after ${timeoutMs} ms`), timeoutMs);
    child.on('error', (e) => fail(e.message));
    child.on('exit', (code) => fail(`setup script exited ${String(code)}`));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!out.includes('READY\n') || child.pid === undefined) return;
      clearTimeout(timer);
      child.removeAllListeners('exit');
      child.unref();
      const ns = mountNamespaceOf(child.pid);
      if (ns === undefined || ns === mountNamespaceOf('self')) return fail('holder has no private mount namespace');
      resolve({ pid: child.pid, ns, varLib: out.includes('VARLIB=overlay') ? 'overlay' : 'bind' });
    });
  });
}
