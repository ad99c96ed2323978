// The bad-input corpus (test/fixtures/bad/<case>/): copying a case to a temp dir with its ports filled in,
// building its command line, normalizing its output, and servers that count every connection made to them.
import { cpSync, existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const BAD_DIR = join(import.meta.dirname, '../fixtures/bad');

/** The case directories, sorted. */
export function badCases(): string[] {
  return readdirSync(BAD_DIR)
    .filter((n) => lstatSync(join(BAD_DIR, n)).isDirectory())
    .sort();
}

/** A TCP server on 127.0.0.1 that accepts, counts and closes every connection (a host or S3 endpoint nobody may reach). */
export interface Tripwire {
  port: number;
  /** Connections accepted so far. */
  count(): number;
  close(): Promise<void>;
}

export async function tripwire(): Promise<Tripwire> {
  let n = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    n++;
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const addr = server.address();
  if (!addr || typeof addr === 'string') throw new Error('tripwire: no port');
  return {
    port: addr.port,
    count: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Placeholders in fixture files: the SSH tripwire's port, the S3 tripwire's port. */
export interface Ports {
  ssh: number;
  s3: number;
}

const TEXT = /\.(ya?ml|ini|json|txt|cfg)$|^[^.]+$/;

/** Copies a case to a fresh temp dir (symlinks kept as they are), replacing __PORT__ and __S3PORT__ in its text files. */
export function stageCase(name: string, ports: Ports): { dir: string; cleanup(): void } {
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'tsplay-bad-')));
  const dir = join(root, name);
  cpSync(join(BAD_DIR, name), dir, { recursive: true, verbatimSymlinks: true });
  const fill = (d: string): void => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = lstatSync(p);
      if (st.isDirectory()) fill(p);
      else if (st.isFile() && TEXT.test(n) && n !== 'expected.txt') {
        const text = readFileSync(p, 'utf8');
        const out = text.replaceAll('__PORT__', String(ports.ssh)).replaceAll('__S3PORT__', String(ports.s3));
        if (out !== text) writeFileSync(p, out);
      }
    }
  };
  fill(dir);
  return { dir, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/**
 * The command line of a staged case: `run <case>/playbook.yaml -i <case>/inventory.*` followed by the lines of
 * its `args` file (`<case>` there is the staged dir). An `args` file that gives `-i` replaces the default
 * inventory; one whose first line is `PLAYBOOK path` replaces the playbook.
 */
export function caseArgv(dir: string, extra: string[] = []): string[] {
  const argsFile = join(dir, 'args');
  let lines = existsSync(argsFile)
    ? readFileSync(argsFile, 'utf8')
        .split('\n')
        .filter((l) => l !== '' && !l.startsWith('#'))
        .map((l) => l.replaceAll('<case>', dir))
    : [];
  let playbook = join(dir, 'playbook.yaml');
  if (lines[0]?.startsWith('PLAYBOOK ')) {
    playbook = lines[0].slice('PLAYBOOK '.length);
    lines = lines.slice(1);
  }
  const inv = ['inventory.ini', 'inventory.yaml', 'inventory'].find((n) => existsSync(join(dir, n)));
  const defaultInv = lines.includes('-i') || inv === undefined ? [] : ['-i', join(dir, inv)];
  return ['run', playbook, ...defaultInv, ...lines, ...extra];
}

/** Output made stable across clones and machines: the staged dir becomes <case>, the repository <repo>. */
export function normalize(text: string, dir: string, repo: string): string {
  return text.replaceAll(dir, '<case>').replaceAll(repo, '<repo>');
}
