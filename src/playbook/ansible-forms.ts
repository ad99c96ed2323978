// The Ansible surface forms of a task, mapped to tsplay's one canonical form before the schema check:
// ansible.builtin.*/ansible.legacy.* names, action/local_action, k=v free-form arguments, args:, with_* loops,
// and YAML 1.1 / Ansible booleans (yes/no/on/off) wherever Ansible takes a boolean.
import type { Problem, SourceLocation } from '../errors/problem.js';
import { ARG_ALIASES } from '../tasks/arg-aliases.js';
import { MODULE_REGISTRY } from '../tasks/registry.js';
import { locatePath, type YamlSource } from '../util/yaml-source.js';
import { parseKv, splitArgs, type KvArgs } from './kv-args.js';
import { playbookSchema } from './schema-check.js';

/** A path inside a task (keys and list indexes), relative to the task. */
export type TaskPath = ReadonlyArray<string | number>;

/** Where a path of the raw task is written (undefined when not known). */
export type Locate = (path: TaskPath, opts?: { key?: boolean }) => SourceLocation | undefined;

/** A key of the canonical task that was written under another name (`debug` written as `ansible.builtin.debug`). */
export interface Alias {
  /** Path of the canonical key, relative to the task. */
  path: Array<string | number>;
  /** The key as written. */
  raw: string;
}

/** A task in canonical form, where its renamed keys were written, and what could not be mapped. */
export interface CanonicalTask {
  task: unknown;
  aliases: Alias[];
  problems: Problem[];
}

/**
 * Task keys that behave like modules but are keywords of the runner (they too have ansible.builtin.* names). The
 * roles/includes keywords (import_tasks, include_tasks, import_role, include_role, include_vars) are renamed by
 * src/playbook/roles/structure-keys.ts, which keeps the name as written for their messages.
 */
export const KEYWORD_MODULES: readonly string[] = ['meta'];

/** Collections whose names resolve to the same builtin modules. */
const FQCN_PREFIXES = ['ansible.builtin.', 'ansible.legacy.'];

/** Modules whose string argument is a command line: only the COMMAND_OPTIONS k=v are taken out of it. */
const FREE_FORM = new Set(['command', 'shell']);

/** Keys whose string value is the module's whole argument, never k=v. */
const STRING_ARG = new Set(['meta', 'import_tasks', 'include_tasks', 'include_vars', 'import_playbook']);

/** with_* keywords tsplay runs as `loop`, each with Ansible's item shape (applied to the rendered value at run time). */
export const LOOP_WITH: readonly string[] = ['items', 'list', 'dict', 'nested', 'sequence', 'indexed_items', 'together'];

/** Task keywords that take a boolean (YAML 1.1 yes/no/on/off and Ansible's boolean strings are accepted). */
const TASK_BOOLEANS = [
  'ignore_errors',
  'ignore_unreachable',
  'run_once',
  'no_log',
  'become',
  'check_mode',
  'delegate_facts',
  'destructive',
];
/** Play keywords that take a boolean. */
const PLAY_BOOLEANS = [
  'ignore_unreachable',
  'gather_facts',
  'become',
  'any_errors_fatal',
  'check_mode',
  'no_log',
  'destructive',
  'force_handlers',
];
/** Task keywords whose values are conditions (a YAML 1.1 boolean literal there is that boolean). */
const CONDITIONS = ['when', 'changed_when', 'failed_when', 'until'];
/** Task sections that hold tasks. */
const SECTIONS = ['block', 'rescue', 'always'];
/** Play sections that hold tasks. */
const PLAY_SECTIONS = ['pre_tasks', 'tasks', 'post_tasks', 'handlers'];

/** Every module and keyword-module name a task may use in its short form (from the module registry). */
export function shortNames(): ReadonlySet<string> {
  nameCache ??= new Set([...Object.keys(MODULE_REGISTRY), ...KEYWORD_MODULES]);
  return nameCache;
}
let nameCache: Set<string> | undefined;

/** The short name for an `ansible.builtin.X` / `ansible.legacy.X` key when X is a module or keyword-module we have, else undefined. */
export function shortName(key: string): string | undefined {
  const prefix = FQCN_PREFIXES.find((p) => key.startsWith(p));
  if (!prefix) return undefined;
  const name = key.slice(prefix.length);
  return shortNames().has(name) ? name : undefined;
}

const YAML11_TRUE = /^(y|yes|on|true|t|1)$/i;
const YAML11_FALSE = /^(n|no|off|false|f|0)$/i;

/** Ansible's boolean(): true/false for a boolean or one of its boolean strings (yes, on, 1, t, y...), else undefined. */
export function ansibleBoolean(v: unknown): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (v === 1 || v === 0) return v === 1;
  if (typeof v !== 'string') return undefined;
  if (YAML11_TRUE.test(v.trim())) return true;
  if (YAML11_FALSE.test(v.trim())) return false;
  return undefined;
}

/** The words PyYAML reads as booleans in a plain scalar (a condition written `when: yes` is the boolean). */
const PYYAML_BOOL = /^(yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF)$/;

function pyyamlBool(v: unknown): unknown {
  return typeof v === 'string' && PYYAML_BOOL.test(v) ? /^(yes|on)$/i.test(v) : v;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Maps one raw task (as parsed from YAML) to the canonical form the schema and the engine know. Pure: the input is not changed. */
export function canonicalTask(raw: unknown, at: Locate = () => undefined): CanonicalTask {
  const out: CanonicalTask = { task: raw, aliases: [], problems: [] };
  if (!isMap(raw)) return out;
  const names = shortNames();
  const t: Record<string, unknown> = {};
  // 1. ansible.builtin.X / ansible.legacy.X keys under their short names (order kept)
  for (const [key, value] of Object.entries(raw)) {
    const short = shortName(key);
    if (short !== undefined && !(short in raw)) {
      t[short] = value;
      out.aliases.push({ path: [short], raw: key });
    } else t[key] = value;
  }
  // 2. action: / local_action:
  for (const kw of ['action', 'local_action'] as const) {
    if (!(kw in t)) continue;
    const mapped = actionOf(t[kw]);
    if ('problem' in mapped) {
      out.problems.push({
        message: `"${kw}": ${mapped.problem}`,
        loc: at([kw]),
        hint: `write the module as the task's key, e.g. "debug: msg=hi"`,
      });
      continue;
    }
    if (mapped.module in t || [...names].some((n) => n !== mapped.module && n in t && !KEYWORD_MODULES.includes(n))) {
      out.problems.push({ message: `conflicting action statements: "${kw}" and a module in the same task`, loc: at([kw], { key: true }) });
      continue;
    }
    delete t[kw];
    t[mapped.module] = mapped.args;
    out.aliases.push({ path: [mapped.module], raw: kw });
    if (kw === 'local_action') {
      if (t['delegate_to'] !== undefined)
        out.problems.push({ message: '"local_action" cannot be combined with "delegate_to"', loc: at(['delegate_to'], { key: true }) });
      else t['delegate_to'] = 'localhost';
    }
  }
  // 3. the module's arguments: k=v strings to mappings, args: merged in, boolean/number strings typed per schema
  const module = Object.keys(t).find((k) => names.has(k) && k !== 'import_playbook');
  if (module !== undefined && !STRING_ARG.has(module)) {
    const args = moduleArgs(module, t[module], t['args'], at, out.problems);
    if (args !== undefined) {
      const written = t[module];
      if (isMap(written) && isMap(args.value)) {
        const aliases = ARG_ALIASES[module as keyof typeof ARG_ALIASES] ?? {};
        for (const k of Object.keys(written)) {
          const name = aliases[k];
          if (name !== undefined && written[name] === undefined) out.aliases.push({ path: [module, name], raw: k });
        }
      }
      t[module] = args.value;
      if ('args' in t && args.mergedArgs) delete t['args'];
    }
  }
  // 4. with_* as loop
  const withKeys = Object.keys(t).filter((k) => k.startsWith('with_'));
  for (const key of withKeys) {
    const kind = key.slice('with_'.length);
    if (!LOOP_WITH.includes(kind)) continue; // unknown: the schema check names it, with what to write instead
    if (t['loop'] !== undefined || withKeys.filter((k) => LOOP_WITH.includes(k.slice(5))).length > 1) {
      out.problems.push({
        message: `"${key}" cannot be combined with "loop" or another with_* in the same task`,
        loc: at([key], { key: true }),
      });
      continue;
    }
    t['loop'] = t[key];
    t['loop_with'] = kind;
    delete t[key];
    out.aliases.push({ path: ['loop'], raw: key });
  }
  // 5. booleans and condition literals
  for (const k of TASK_BOOLEANS) {
    const b = ansibleBoolean(t[k]);
    if (b !== undefined) t[k] = b;
  }
  for (const k of CONDITIONS) {
    if (Array.isArray(t[k])) t[k] = (t[k] as unknown[]).map(pyyamlBool);
    else if (t[k] !== undefined) t[k] = pyyamlBool(t[k]);
  }
  if (isMap(t['loop_control'])) {
    const lc = { ...t['loop_control'] };
    const b = ansibleBoolean(lc['extended']);
    if (b !== undefined) lc['extended'] = b;
    t['loop_control'] = lc;
  }
  t['environment'] = mergedEnvironment(t['environment']);
  if (t['environment'] === undefined) delete t['environment'];
  // 6. nested task lists
  for (const section of SECTIONS) {
    const list = t[section];
    if (!Array.isArray(list)) continue;
    t[section] = list.map((sub, i) => {
      const c = canonicalTask(sub, (p, o) => at([section, i, ...p], o));
      out.aliases.push(...c.aliases.map((a) => ({ path: [section, i, ...a.path], raw: a.raw })));
      out.problems.push(...c.problems);
      return c.task;
    });
  }
  out.task = t;
  return out;
}

/** `environment:` given as a list of mappings is one mapping, later ones overriding earlier ones (as Ansible merges them). */
function mergedEnvironment(v: unknown): unknown {
  if (!Array.isArray(v) || !v.every(isMap)) return v;
  return Object.assign({}, ...v) as Record<string, unknown>;
}

/** A play in canonical form: its boolean keywords typed and every task of its sections canonical. */
export function canonicalPlay(raw: unknown, at: Locate = () => undefined): CanonicalTask {
  const out: CanonicalTask = { task: raw, aliases: [], problems: [] };
  if (!isMap(raw)) return out;
  const p: Record<string, unknown> = { ...raw };
  for (const k of PLAY_BOOLEANS) {
    const b = ansibleBoolean(p[k]);
    if (b !== undefined) p[k] = b;
  }
  p['environment'] = mergedEnvironment(p['environment']);
  if (p['environment'] === undefined) delete p['environment'];
  for (const section of PLAY_SECTIONS) {
    const list = p[section];
    if (!Array.isArray(list)) continue;
    p[section] = canonicalList(list, (path, o) => at([section, ...path], o), out, [section]);
  }
  out.task = p;
  return out;
}

/** Canonical form of a list of tasks (a play section or a tasks file), collecting aliases (prefixed) and problems into `out`. */
export function canonicalList(
  list: unknown[],
  at: Locate,
  out: { aliases: Alias[]; problems: Problem[] },
  prefix: Array<string | number> = [],
): unknown[] {
  return list.map((sub, i) => {
    const c = canonicalTask(sub, (path, o) => at([i, ...path], o));
    out.aliases.push(...c.aliases.map((a) => ({ path: [...prefix, i, ...a.path], raw: a.raw })));
    out.problems.push(...c.problems);
    return c.task;
  });
}

/** `action: debug msg=hi` or `action: {module: debug, msg: hi}`: the module (short name) and its arguments. */
function actionOf(v: unknown): { module: string; args: unknown } | { problem: string } {
  let module: unknown;
  let args: unknown;
  if (typeof v === 'string') {
    const words = splitArgs(v.trim());
    module = words[0];
    args = v
      .trim()
      .slice(String(words[0] ?? '').length)
      .trim();
    if (args === '') args = null;
  } else if (isMap(v)) {
    const { module: m, ...rest } = v;
    module = m;
    args = rest;
  } else return { problem: 'must be a string ("MODULE k=v ...") or a mapping with "module"' };
  if (typeof module !== 'string' || module === '') return { problem: 'names no module' };
  // an unknown module keeps its name: the schema check reports it as it reports a task key it does not know
  return { module: shortName(module) ?? module, args };
}

/** The module's arguments as a mapping (or the command line string), with `args:` merged in. */
function moduleArgs(
  module: string,
  value: unknown,
  extra: unknown,
  at: Locate,
  problems: Problem[],
): { value: unknown; mergedArgs: boolean } | undefined {
  let args = value;
  if (typeof value === 'string') {
    const kv = parseKvSafe(value, FREE_FORM.has(module));
    if (kv === undefined) return undefined;
    const { options, raw } = kv;
    if (FREE_FORM.has(module)) {
      args = Object.keys(options).length ? { cmd: raw.join(' '), ...options } : value;
    } else {
      if (raw.length) {
        problems.push({
          message: `this task's "${module}" has extra params (${raw.join(' ')}), which is only allowed for command and shell`,
          loc: at([module]),
          hint: `write its arguments as k=v pairs or as a mapping, e.g. "${module}: {...}"`,
        });
        return { value: typedArgs(module, canonicalArgs(module, options, at, problems)), mergedArgs: false };
      }
      args = options;
    }
  }
  let merged = false;
  if (extra !== undefined) {
    if (!isMap(extra)) {
      problems.push({
        message: '"args" must be a mapping of the module\'s arguments',
        loc: at(['args']),
        hint: 'tsplay does not take a templated "args" string: write the arguments under the module',
      });
      return { value: args, mergedArgs: false };
    }
    if (args === null || args === undefined) args = { ...extra };
    else if (typeof args === 'string' && FREE_FORM.has(module)) args = { ...extra, cmd: args };
    else if (isMap(args)) args = { ...extra, ...args };
    merged = true;
  }
  return { value: isMap(args) ? typedArgs(module, canonicalArgs(module, args, at, problems)) : args, mergedArgs: merged };
}

/**
 * The module's arguments under their canonical names (ansible-core's argument aliases: `file: dest=` is `path`). Giving
 * an argument twice (by its name and an alias, or by two aliases) is refused: ansible-core only warns and keeps one.
 */
function canonicalArgs(module: string, args: Record<string, unknown>, at: Locate, problems: Problem[]): Record<string, unknown> {
  const aliases = ARG_ALIASES[module as keyof typeof ARG_ALIASES];
  if (!aliases || !Object.keys(args).some((k) => k in aliases)) return args;
  const out: Record<string, unknown> = {};
  const writtenAs = new Map<string, string>();
  for (const [k, v] of Object.entries(args)) {
    const name = aliases[k] ?? k;
    const before = writtenAs.get(name);
    if (before !== undefined) {
      problems.push({
        message: `"${module}" is given "${name}" twice: as "${before}" and as "${k}" (${k === name || before === name ? 'an alias of it' : 'both aliases of it'})`,
        loc: at([module, k], { key: true }),
        hint: `write it once, as "${name}" (ansible-core warns "Both option ${name} and its alias ... are set" and keeps one of them)`,
      });
      continue;
    }
    writtenAs.set(name, k);
    out[name] = v;
  }
  return out;
}

/** parse_kv, or undefined when the string cannot be split (an unclosed quote or {{ }}: the template check names it). */
function parseKvSafe(value: string, freeForm: boolean): KvArgs | undefined {
  try {
    return parseKv(value, freeForm);
  } catch {
    return undefined;
  }
}

let propertyTypes: Map<string, Record<string, string[]>> | undefined;

/** Each module's argument types from the schema (`{recurse: ['boolean'], port: ['integer', 'string']}`). */
function typesOf(module: string): Record<string, string[]> {
  if (!propertyTypes) {
    propertyTypes = new Map();
    const defs = playbookSchema().definitions as Record<
      string,
      { properties?: Record<string, { $ref?: string; type?: string | string[] }> }
    >;
    for (const [name, prop] of Object.entries(defs['Task']?.properties ?? {})) {
      const ref = prop.$ref?.replace('#/definitions/', '');
      const props = ref ? defs[ref]?.properties : undefined;
      if (!props) continue;
      propertyTypes.set(
        name,
        Object.fromEntries(
          Object.entries(props).map(([k, v]) => [k, v.type === undefined ? [] : Array.isArray(v.type) ? v.type : [v.type]]),
        ),
      );
    }
  }
  return propertyTypes.get(module) ?? {};
}

/** String values typed as the module's schema wants them: booleans from yes/no/true..., numbers from digits. */
function typedArgs(module: string, args: Record<string, unknown>): Record<string, unknown> {
  const types = typesOf(module);
  const out: Record<string, unknown> = { ...args };
  for (const [k, v] of Object.entries(args)) {
    const want = types[k];
    if (!want || typeof v !== 'string' || want.includes('string')) continue;
    const b = ansibleBoolean(v);
    if (want.includes('boolean') && b !== undefined) out[k] = b;
    else if (
      (want.includes('integer') && /^-?\d+$/.test(v.trim())) ||
      (want.includes('number') && v.trim() !== '' && Number.isFinite(Number(v)))
    )
      out[k] = Number(v);
  }
  return out;
}

/**
 * Canonical form of a whole parsed file (a playbook: a list of plays; or a tasks file: a list of tasks). The renamed
 * keys are recorded on the source, so problems found later in the canonical form still point where they are written.
 */
export function canonicalDocument(src: YamlSource, data: unknown, kind: 'playbook' | 'tasks'): { data: unknown; problems: Problem[] } {
  if (!Array.isArray(data)) return { data, problems: [] };
  const at: Locate = (path, o) => locatePath(src, path, o);
  const out: { aliases: Alias[]; problems: Problem[] } = { aliases: [], problems: [] };
  let canonical: unknown[];
  if (kind === 'tasks') canonical = canonicalList(data, at, out);
  else {
    canonical = data.map((play, i) => {
      const c = canonicalPlay(play, (path, o) => at([i, ...path], o));
      out.aliases.push(...c.aliases.map((a) => ({ path: [i, ...a.path], raw: a.raw })));
      out.problems.push(...c.problems);
      return c.task;
    });
  }
  src.aliases ??= new Map();
  for (const a of out.aliases) src.aliases.set(JSON.stringify(a.path), a.raw);
  return { data: canonical, problems: out.problems };
}
