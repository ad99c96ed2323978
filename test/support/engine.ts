import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EngineEvent } from '../../src/engine/events.js';
import type { RunOptions } from '../../src/engine/options.js';
import { runPlaybook } from '../../src/engine/run.js';
import { FakeTransport } from '../../src/transports/fake.js';

/** A finished engine run over fake transports. */
export interface FakeRun {
  code: number;
  events: EngineEvent[];
  fakes: Map<string, FakeTransport>;
  /** `task/host` → status. */
  status: Record<string, string>;
  /** host-result events of one task, in order. */
  results(task: string): Array<Extract<EngineEvent, { type: 'host-result' }>>;
}

/** Runs a playbook (YAML text) on fake hosts host1..hostN (group `g`); `setup` scripts each fake. */
export async function runFake(
  yaml: string,
  opts: { hosts?: number; setup?: (f: FakeTransport) => void; options?: Partial<RunOptions>; inventory?: string } = {},
): Promise<FakeRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tsplay-fake-'));
  const playbook = join(dir, 'play.yaml');
  writeFileSync(playbook, yaml);
  const n = opts.hosts ?? 3;
  const inventory = join(dir, 'inv.ini');
  writeFileSync(inventory, opts.inventory ?? `[g]\n${Array.from({ length: n }, (_, i) => `host${i + 1}`).join('\n')}\n`);
  const fakes = new Map<string, FakeTransport>();
  const events: EngineEvent[] = [];
  const code = await runPlaybook(
    {
      playbook,
      inventory: [inventory],
      extraVars: {},
      check: false,
      forks: 10,
      tags: [],
      skipTags: [],
      verbosity: 0,
      yes: false,
      interactive: false,
      connection: { knownHostsFiles: [] },
      transportFactory: (spec) => {
        const f = new FakeTransport(spec.host);
        opts.setup?.(f);
        fakes.set(spec.host, f);
        return f;
      },
      ...opts.options,
    },
    (e) => events.push(e),
  );
  const hostResults = events.filter((e): e is Extract<EngineEvent, { type: 'host-result' }> => e.type === 'host-result');
  const status = Object.fromEntries(hostResults.map((e) => [`${e.task}/${e.host}`, e.status]));
  return { code, events, fakes, status, results: (task) => hostResults.filter((e) => e.task === task) };
}
