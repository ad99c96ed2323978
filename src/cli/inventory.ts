import { parseArgs } from 'node:util';
import { EXIT } from '../engine/run.js';
import { formatProblem, type Problem } from '../errors/problem.js';
import { loadInventory } from '../inventory/index.js';
import { editInventory } from '../inventory-edit/apply.js';
import { maskLine } from '../inventory-edit/mask.js';
import { showHost } from '../inventory-edit/show.js';
import type { Edit, VarTarget } from '../inventory-edit/types.js';
import { checkVarNames, parseAssignments } from '../inventory-edit/values.js';
import { inventoryGraph, inventoryList, inventoryTree, sortedJson } from '../inventory-edit/views.js';
import type { CliEnv } from './run-command.js';
import { UsageError } from '../errors/usage-error.js';

const OPTIONS = {
  inventory: { type: 'string', short: 'i', multiple: true },
  json: { type: 'boolean' },
  'show-secrets': { type: 'boolean' },
  group: { type: 'string', short: 'g' },
  host: { type: 'string' },
  var: { type: 'string', multiple: true },
  parent: { type: 'string' },
  create: { type: 'boolean' },
  'dry-run': { type: 'boolean', short: 'n' },
  force: { type: 'boolean' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

const EDITS = ['add-host', 'remove-host', 'add-group', 'set-var', 'unset-var'];

/** `tsplay inventory list|graph|show|add-host|remove-host|add-group|set-var|unset-var ...`; returns the exit code. */
export async function inventoryCommand(argv: string[], env: CliEnv): Promise<number> {
  const [action, ...rest] = argv;
  const { values: v, positionals: pos } = parseArgs({ args: rest, options: OPTIONS, allowPositionals: true, strict: true });
  const specs = v.inventory ?? [];
  if (!specs.length) throw new UsageError('needs an inventory: -i FILE');
  if (action === 'list' || action === 'graph' || action === 'show') return view(action, specs, v, pos, env);
  if (action === undefined || !EDITS.includes(action)) {
    throw new UsageError(`unknown action "${action ?? ''}" (expected list, graph, show, ${EDITS.join(', ')})`);
  }
  const parsed = editFrom(action, v, pos);
  if ('problems' in parsed) return refuse(parsed.problems, env);
  const done = await editInventory(specs, parsed.edit, {
    cwd: process.cwd(),
    dryRun: Boolean(v['dry-run']),
    force: Boolean(v.force),
    onWarning: (m) => env.io.err(`[WARNING]: ${m}\n`),
  });
  if (!done.ok) return refuse(done.problems, env);
  const diff = v['show-secrets'] ? done.diff : done.diff.split('\n').map(maskLine).join('\n');
  if (v['dry-run']) env.io.out(diff || `(no change to ${done.file})\n`);
  else env.io.out(done.diff ? `${done.file}: ${describe(parsed.edit)}\n` : `${done.file}: already so, not changed\n`);
  for (const n of done.notes) env.io.err(`${n}\n`);
  return EXIT.ok;
}

async function view(action: 'list' | 'graph' | 'show', specs: string[], v: Values, pos: string[], env: CliEnv): Promise<number> {
  const { inventory, problems } = await loadInventory(specs, { cwd: process.cwd() });
  if (problems.length) return refuse(problems, env, 'inventory has problems');
  const opts = { showSecrets: Boolean(v['show-secrets']) };
  const print = (lines: string[]): number => {
    for (const l of lines) env.io.out(`${l}\n`);
    return EXIT.ok;
  };
  if (action === 'list') {
    return v.json ? print([sortedJson(inventoryList(inventory, opts)).trimEnd()]) : print(inventoryTree(inventory, opts));
  }
  if (action === 'graph') {
    const root = pos[0] ?? 'all';
    if (!inventory.groups.has(root)) return refuse([{ message: `group "${root}" is not in the inventory` }], env, 'nothing to show');
    return print(inventoryGraph(inventory, root));
  }
  if (pos.length !== 1) throw new UsageError('show needs one HOST');
  const shown = showHost(inventory, pos[0] ?? '', opts);
  return 'lines' in shown ? print(shown.lines) : refuse([shown.problem], env, 'nothing to show');
}

function editFrom(action: string, v: Values, pos: string[]): { edit: Edit } | { problems: Problem[] } {
  const one = (what: string): string => {
    if (pos.length !== 1) throw new UsageError(`${action} needs one ${what}, got ${pos.length}`);
    return pos[0] ?? '';
  };
  if (action === 'add-host') {
    if (!v.group) throw new UsageError('add-host needs --group G');
    const { vars, problems } = parseAssignments(v.var ?? []);
    return problems.length
      ? { problems }
      : { edit: { kind: 'add-host', host: one('HOST'), group: v.group, vars, create: Boolean(v.create) } };
  }
  if (action === 'remove-host') return { edit: { kind: 'remove-host', host: one('HOST'), group: v.group } };
  if (action === 'add-group') return { edit: { kind: 'add-group', group: one('GROUP'), parent: v.parent, create: Boolean(v.create) } };
  const target: VarTarget =
    v.host !== undefined && v.group === undefined
      ? { host: v.host }
      : v.group !== undefined && v.host === undefined
        ? { group: v.group }
        : usage(`${action} needs exactly one of --host H or --group G`);
  if (!pos.length) throw new UsageError(`${action} needs at least one ${action === 'set-var' ? 'k=v' : 'variable name'}`);
  if (action === 'set-var') {
    const { vars, problems } = parseAssignments(pos);
    return problems.length ? { problems } : { edit: { kind: 'set-var', target, vars } };
  }
  const problems = checkVarNames(pos);
  return problems.length ? { problems } : { edit: { kind: 'unset-var', target, keys: pos } };
}

function usage(message: string): never {
  throw new UsageError(message);
}

function refuse(problems: Problem[], env: CliEnv, tail = 'inventory not changed'): number {
  for (const p of problems) env.io.err(`ERROR: ${formatProblem(p)}\n`);
  env.io.err(`${tail}\n`);
  return EXIT.invalid;
}

/** One line saying what an edit did. */
function describe(e: Edit): string {
  const who = (t: VarTarget): string => ('host' in t ? `host ${t.host}` : `group ${t.group}`);
  switch (e.kind) {
    case 'add-host':
      return `added host ${e.host} to group ${e.group}`;
    case 'remove-host':
      return e.group ? `removed host ${e.host} from group ${e.group}` : `removed host ${e.host}`;
    case 'add-group':
      return e.parent ? `added group ${e.group} under ${e.parent}` : `added group ${e.group}`;
    case 'set-var':
      return `set ${e.vars.map((a) => a.key).join(', ')} on ${who(e.target)}`;
    case 'unset-var':
      return `removed ${e.keys.join(', ')} from ${who(e.target)}`;
  }
}
