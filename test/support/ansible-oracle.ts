// Renders templates with real Ansible (Debian's ansible-core): its Templar, the engine ansible-playbook templates
// every task argument with, run once in the Python that ansible-playbook runs on, all templates in one process.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RENDER = join(dirname(fileURLToPath(import.meta.url)), 'ansible-oracle', 'render.py');

/** What Ansible made of one template: the rendered value, or that it failed (with Ansible's message). */
export interface OracleResult {
  failed: boolean;
  msg: unknown;
}

/** Templates to render with the same variables. */
export interface OracleBatch {
  vars: Record<string, unknown>;
  templates: string[];
}

/** The Python interpreter ansible-playbook runs with (its #! line), or undefined when ansible-core is not installed. */
export function ansiblePython(): string | undefined {
  const which = spawnSync('sh', ['-c', 'command -v ansible-playbook'], { encoding: 'utf8' });
  const path = which.stdout.trim();
  if (which.status !== 0 || !path) return undefined;
  const shebang = /^#!\s*(\S+)/.exec(readFileSync(path, 'utf8').split('\n', 1)[0] ?? '')?.[1];
  return shebang && spawnSync(shebang, ['-c', 'import ansible.template'], { stdio: 'ignore' }).status === 0 ? shebang : undefined;
}

/** True when ansible-core can be used. */
export function ansibleAvailable(): boolean {
  return ansiblePython() !== undefined;
}

/** Renders every template of every batch (each batch with its variables); results per batch, in template order. */
export function renderWithAnsible(batches: OracleBatch[]): OracleResult[][] {
  const python = ansiblePython();
  if (!python) throw new Error('ansible-core is not installed (scripts/ensure-system.sh installs it)');
  const r = spawnSync(python, [RENDER], {
    input: JSON.stringify(batches),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ANSIBLE_LOCAL_TEMP: '/tmp', ANSIBLE_DEPRECATION_WARNINGS: 'false', ANSIBLE_NOCOLOR: '1' },
  });
  if (r.status !== 0) throw new Error(`ansible-core's Templar failed (exit ${r.status}):\n${r.stderr}`);
  const out = JSON.parse(r.stdout) as OracleResult[][];
  if (out.length !== batches.length || out.some((b, i) => b.length !== batches[i]?.templates.length))
    throw new Error('ansible-core gave a different number of results than templates');
  return out;
}

/** What ansible-playbook printed and its exit status. */
export interface PlaybookRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs Debian's ansible-playbook in `cwd` without colours, its local temp under `work`, plus `env`; fails the test when it cannot start. */
export function runAnsiblePlaybook(args: string[], opts: { cwd: string; work: string; env?: Record<string, string> }): PlaybookRun {
  const r = spawnSync('ansible-playbook', args, {
    cwd: opts.cwd,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: join(opts.work, 'tmp'), ...opts.env },
  });
  if (r.error)
    throw new Error(`ansible-playbook could not run (${String(r.error)}): scripts/ensure-system.sh installs Debian's ansible-core`);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Result keys that say how a task ran rather than what a debug task showed. */
const RUN_KEYS = new Set([
  'changed',
  'failed',
  'skipped',
  'skip_reason',
  'false_condition',
  'ansible_loop_var',
  'ansible_index_var',
  'ansible_loop',
  'ansible_facts',
  'item',
  'results',
  'msg',
]);

/** What a debug result showed, the same way for tsplay's and ansible's results: its msg, its variable(s), or null when skipped. */
export function debugShown(r: Record<string, unknown>, loopVar = 'item'): unknown {
  if (r['skipped']) return null;
  if ('censored' in r) return 'censored';
  if ('msg' in r) return r['msg'];
  return Object.fromEntries(Object.entries(r).filter(([k]) => !RUN_KEYS.has(k) && !k.startsWith('_') && k !== loopVar));
}

/** The environment that makes ansible-playbook write each task result as a JSON line to FILE (the record_results callback in CALLBACKS). */
export function recordEnv(file: string, callbacks: string): Record<string, string> {
  return { TSPLAY_RECORD: file, ANSIBLE_CALLBACK_PLUGINS: callbacks, ANSIBLE_CALLBACKS_ENABLED: 'record_results' };
}

/** The results a recording ansible-playbook run wrote to FILE, one JSON object a line. */
export function readRecord<T>(file: string): T[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as T);
}
