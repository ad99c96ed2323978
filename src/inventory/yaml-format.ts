import type { Problem } from '../errors/problem.js';
import type { InventoryGroupSpec } from '../generated/inventory.js';
import { isMap, isScalar } from 'yaml';
import { locateNode, locatePath, type YamlSource } from '../util/yaml-source.js';
import { addChild, addHost, ensureGroup, mergeInto, setVar, type RawInventory, type VarLocs, type Vars } from './builder.js';
import { expandHostRange, splitHostPort } from './ranges.js';
import { checkInventorySchema } from './schema-check.js';

/** Reads an Ansible YAML inventory (`all:` / `hosts:` / `children:` / `vars:`) into `raw`; returns schema and structure problems. */
export function parseYamlInventory(src: YamlSource, raw: RawInventory): Problem[] {
  const data: unknown = src.doc.toJS();
  const problems = checkInventorySchema(src, data);
  if (!isRecord(data)) {
    if (data !== null && data !== undefined && problems.length === 0) {
      problems.push({ message: 'an inventory must be a mapping of group names', loc: locatePath(src, []) });
    }
    return problems;
  }
  for (const [name, spec] of Object.entries(data)) {
    ensureGroup(raw, name, locatePath(src, [name], { key: true }));
    readGroup(src, raw, [name], name, spec as InventoryGroupSpec, problems);
  }
  return problems;
}

function readGroup(src: YamlSource, raw: RawInventory, path: string[], name: string, spec: InventoryGroupSpec, problems: Problem[]): void {
  if (!isRecord(spec)) return;
  const group = ensureGroup(raw, name);
  if (isRecord(spec.vars)) mergeInto(group.vars, spec.vars, { into: group.varLocs, from: keyLocs(src, [...path, 'vars'], spec.vars) });
  if (isRecord(spec.hosts)) {
    problems.push(...nonStringHostNames(src, [...path, 'hosts']));
    for (const [def, hostVars] of Object.entries(spec.hosts)) {
      const loc = locatePath(src, [...path, 'hosts', def], { key: true });
      const { host, port } = splitHostPort(def);
      const vars: Vars = {};
      const varLocs: VarLocs = new Map();
      if (port !== undefined) {
        setVar(vars, 'ansible_port', port);
        varLocs.set('ansible_port', loc);
      }
      if (isRecord(hostVars)) mergeInto(vars, hostVars, { into: varLocs, from: keyLocs(src, [...path, 'hosts', def], hostVars) });
      const expanded = expandHostRange(host);
      if (expanded.error !== undefined) problems.push({ message: expanded.error, loc });
      else for (const h of expanded.hosts) addHost(raw, name, h, vars, loc, varLocs);
    }
  }
  if (isRecord(spec.children)) {
    for (const [child, childSpec] of Object.entries(spec.children)) {
      const childPath = [...path, 'children', child];
      const cycle = addChild(raw, name, child, locatePath(src, childPath, { key: true }));
      if (cycle) problems.push(cycle);
      else readGroup(src, raw, childPath, child, childSpec, problems);
    }
  }
}

/** Host names written as numbers or booleans (`123:`): Ansible refuses them ("must be a string"), and so do we. */
function nonStringHostNames(src: YamlSource, hostsPath: string[]): Problem[] {
  const map = src.doc.getIn(hostsPath, true);
  if (!isMap(map)) return [];
  return map.items.flatMap((pair) => {
    if (!isScalar(pair.key) || typeof pair.key.value === 'string') return [];
    const text = pair.key.source ?? String(pair.key.value);
    return [
      {
        message: `host name ${text} must be a string (ansible-core refuses it too)`,
        loc: locateNode(src, pair.key),
        hint: `quote it: "${text}":`,
      },
    ];
  });
}

/** Where each key of the mapping at `path` is written. */
export function keyLocs(src: YamlSource, path: string[], vars: Vars): VarLocs {
  const map = path.length ? src.doc.getIn(path, true) : src.doc.contents;
  const out: VarLocs = new Map();
  if (!isMap(map)) return out;
  for (const pair of map.items) {
    if (isScalar(pair.key) && Object.hasOwn(vars, String(pair.key.value))) out.set(String(pair.key.value), locateNode(src, pair.key));
  }
  return out;
}

/** True for a plain mapping (not null, not a list). */
export function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
