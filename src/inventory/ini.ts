import type { Problem, SourceLocation } from '../errors/problem.js';
import { closest } from '../util/did-you-mean.js';
import { addChild, addHost, ensureGroup, setVar, type RawInventory, type VarLocs, type Vars } from './builder.js';
import { parseIniValue, shlexSplit } from './ini-value.js';
import { expandHostRange, splitHostPort } from './ranges.js';

const SECTION = /^\[([^:\]\s]+)(?::(\w+))?\]\s*(?:#.*)?$/;
const GROUP_NAME = /^([^:\]\s]+)\s*(?:#.*)?$/;

/** What the lines of the current section are; `skip` after an invalid header (its lines are ignored). */
type State = 'hosts' | 'vars' | 'children' | 'skip';

/** A group used before it was declared in this file: `[x:vars]` or a `[p:children]` entry. */
interface Pending {
  state: 'vars' | 'children';
  loc: SourceLocation;
  parents: string[];
}

/** Reads an Ansible INI inventory into `raw`, returning every problem (the file is read to the end). */
export function parseIni(file: string, text: string, raw: RawInventory): Problem[] {
  const problems: Problem[] = [];
  const pending = new Map<string, Pending>();
  let group = 'ungrouped';
  let state: State = 'hosts';
  text.split(/\r?\n/).forEach((rawLine, index) => {
    const line = rawLine.trim();
    if (!line || line.startsWith('#') || line.startsWith(';')) return;
    const loc: SourceLocation = { file, line: index + 1, col: rawLine.indexOf(line) + 1 };
    const problem = (message: string, hint?: string): void => void problems.push({ message, loc, hint });
    const section = SECTION.exec(line);
    if (section) {
      const [, name = '', kind = 'hosts'] = section;
      if (kind !== 'hosts' && kind !== 'vars' && kind !== 'children') {
        state = 'skip';
        const hint = closest(kind, ['vars', 'children']);
        return problem(
          `section [${name}:${kind}] has unknown type "${kind}"`,
          hint ? `did you mean [${name}:${hint}]?` : 'use [group], [group:vars] or [group:children]',
        );
      }
      [group, state] = [name, kind];
      problems.push(...declareGroup(raw, pending, name, kind, loc));
      return;
    }
    if (line.startsWith('[') && line.endsWith(']')) {
      state = 'skip';
      return problem(`invalid section header ${line}`, 'a section is [group], [group:vars] or [group:children], without spaces');
    }
    const unclosed = /^\[([^:\]\s]+)(?::(hosts|vars|children))?\s*$/.exec(line);
    if (unclosed) {
      // Read on as if it were closed, so the lines below do not add more (misleading) problems.
      const [, name = '', kind = 'hosts'] = unclosed;
      problem(`section header ${line} is not closed with "]"`, `write ${line}]`);
      [group, state] = [name, kind as Exclude<State, 'skip'>];
      problems.push(...declareGroup(raw, pending, name, kind as Exclude<State, 'skip'>, loc));
      return;
    }
    if (state === 'skip') return;
    if (state === 'hosts') problems.push(...hostLine(raw, group, line, loc));
    else if (state === 'vars') {
      const eq = line.indexOf('=');
      const key = line.slice(0, eq).trim();
      if (eq === -1 || !key) return problem(`expected key=value in [${group}:vars], got "${line}"`);
      // typed like a host-line value (ansible-core 2.14: 6000 is an int, True a bool, [1, 2] a list, "a b" a string)
      const g = ensureGroup(raw, group);
      setVar(g.vars, key, parseIniValue(line.slice(eq + 1).trim()));
      g.varLocs.set(key, loc);
    } else {
      const child = GROUP_NAME.exec(line)?.[1];
      if (child === undefined) return problem(`expected a group name in [${group}:children], got "${line}"`);
      if (raw.groups.has(child)) {
        const p = addChild(raw, group, child, loc);
        if (p) problems.push(p);
      } else {
        const known = pending.get(child);
        if (known) known.parents.push(group);
        else pending.set(child, { state: 'children', loc, parents: [group] });
      }
    }
  });
  for (const [name, p] of pending) problems.push(undefinedGroup(raw, name, p));
  return problems;
}

function declareGroup(
  raw: RawInventory,
  pending: Map<string, Pending>,
  name: string,
  kind: Exclude<State, 'skip'>,
  loc: SourceLocation,
): Problem[] {
  if (!raw.groups.has(name) && kind === 'vars' && !pending.has(name)) pending.set(name, { state: 'vars', loc, parents: [] });
  ensureGroup(raw, name, kind === 'vars' ? undefined : loc);
  const p = pending.get(name);
  if (!p || kind === 'vars') return [];
  pending.delete(name);
  if (p.state !== 'children') return [];
  return p.parents.map((parent) => addChild(raw, parent, name, p.loc)).filter((x): x is Problem => x !== undefined);
}

function undefinedGroup(raw: RawInventory, name: string, p: Pending): Problem {
  const defined = [...raw.groups.keys()].filter((g) => g !== name);
  const near = closest(name, defined);
  const hint = near ? `did you mean "${near}"?` : `declare it with a [${name}] section`;
  if (p.state === 'vars') return { message: `section [${name}:vars] is for group "${name}", which is not declared`, loc: p.loc, hint };
  const parent = p.parents[p.parents.length - 1] ?? '';
  return { message: `section [${parent}:children] includes group "${name}", which is not declared`, loc: p.loc, hint };
}

function hostLine(raw: RawInventory, group: string, line: string, loc: SourceLocation): Problem[] {
  const split = shlexSplit(line);
  if ('error' in split) return [{ message: `cannot parse host line "${line}": ${split.error}`, loc }];
  const [def = '', ...assignments] = split.tokens;
  const problems: Problem[] = [];
  const vars: Vars = {};
  const varLocs: VarLocs = new Map();
  for (const t of assignments) {
    const eq = t.indexOf('=');
    const col = loc.col + Math.max(0, line.indexOf(t.split('=')[0] ?? t));
    if (eq <= 0) {
      problems.push({
        message: `expected key=value host variable after "${def}", got "${t}"`,
        loc: { ...loc, col },
        hint: 'quote values that contain spaces: key="a b"',
      });
      continue;
    }
    const key = t.slice(0, eq);
    setVar(vars, key, parseIniValue(t.slice(eq + 1)));
    varLocs.set(key, { ...loc, col: loc.col + keyOffset(line, key) });
  }
  const { host, port } = splitHostPort(def);
  if (port !== undefined) {
    setVar(vars, 'ansible_port', port);
    varLocs.set('ansible_port', loc);
  }
  const expanded = expandHostRange(host);
  if (expanded.error !== undefined) return [...problems, { message: expanded.error, loc }];
  for (const h of expanded.hosts) addHost(raw, group, h, vars, loc, varLocs);
  return problems;
}

/** Offset of `key=` in a host line (the key as a word of its own, not inside the host name or another value). */
function keyOffset(line: string, key: string): number {
  const m = new RegExp(`(^|\\s)${key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`).exec(line);
  return m ? m.index + (m[1] ?? '').length : Math.max(0, line.indexOf(key));
}
