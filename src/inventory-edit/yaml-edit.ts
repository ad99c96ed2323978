import type { Document } from 'yaml';
import type { Problem } from '../errors/problem.js';
import { locatePath, parseYaml, type YamlSource } from '../util/yaml-source.js';
import { spliceEdit } from './splice.js';
import { describeTarget, type Assignment, type Edit, type EditResult, type VarTarget } from './types.js';
import { collapseIfEmpty, deleteKey, ensureMap, setKey } from './yaml-nodes.js';
import { groupDefs, hasKey, hostEntries, mapAt, type HostEntry, type KeyPath } from './yaml-locate.js';

/** Applies one edit to a YAML inventory through the `yaml` Document API; lines the edit does not touch keep their bytes. */
export function editYaml(file: string, text: string, edit: Edit): EditResult {
  const { source } = parseYaml(file, text);
  const before = source.doc.toString();
  const problems = apply(source, edit);
  if (problems.length) return { problems };
  return { text: spliceEdit(text, before, source.doc.toString()) };
}

function apply(src: YamlSource, edit: Edit): Problem[] {
  const doc = src.doc;
  switch (edit.kind) {
    case 'add-host': {
      const hosts = ensureMap(doc, [...groupPath(doc, edit.group, 'hosts'), 'hosts']);
      setKey(doc, hosts, edit.host, null);
      if (edit.vars.length) {
        const vars = ensureMap(doc, [...groupPath(doc, edit.group, 'hosts'), 'hosts', edit.host]);
        for (const a of edit.vars) setKey(doc, vars, a.key, a.value, a.quotedBecause !== undefined);
      }
      return [];
    }
    case 'remove-host':
      return removeHost(src, edit.host, edit.group);
    case 'add-group': {
      if (edit.parent) setKey(doc, ensureMap(doc, [...groupPath(doc, edit.parent, 'children'), 'children']), edit.group, null);
      else {
        const path = newGroupPath(doc, edit.group);
        setKey(doc, ensureMap(doc, path.slice(0, -1)), edit.group, null);
      }
      return [];
    }
    case 'set-var':
      return setVars(src, edit.target, edit.vars);
    case 'unset-var':
      return unsetVars(src, edit.target, edit.keys);
  }
}

/** Where to write into group `name`: the first definition that already has `sub`, else the first one, else a new one. */
function groupPath(doc: Document, name: string, sub: string): KeyPath {
  const defs = groupDefs(doc).filter((d) => d.name === name);
  return (defs.find((d) => hasKey(doc, d.path, sub)) ?? defs[0])?.path ?? newGroupPath(doc, name);
}

/** A new group goes under `all.children` when the file has a top-level `all`, else at the top level. */
function newGroupPath(doc: Document, name: string): KeyPath {
  return name !== 'all' && hasKey(doc, [], 'all') ? ['all', 'children', name] : [name];
}

/** The host's plain (non-range) entries, or a problem saying why there are none. */
function directEntries(src: YamlSource, host: string, group?: string): { entries: HostEntry[]; problems: Problem[] } {
  const all = hostEntries(src.doc, host).filter((e) => group === undefined || e.group === group);
  const ranges = all.filter((e) => e.range);
  const problems: Problem[] = ranges.map((e) => ({
    message: `host "${host}" comes from the range "${e.key}" in group "${e.group}"; tsplay does not expand ranges`,
    loc: locatePath(src, [...e.groupPath, 'hosts', e.key], { key: true }),
    hint: 'rewrite the range as separate hosts in the file first',
  }));
  const entries = all.filter((e) => !e.range);
  if (!entries.length && !problems.length)
    problems.push({ message: `host "${host}" is not ${group ? `in group "${group}"` : 'declared'} in ${src.file}` });
  return { entries, problems };
}

function removeHost(src: YamlSource, host: string, group?: string): Problem[] {
  const { entries, problems } = directEntries(src, host, group);
  if (problems.length) return problems;
  for (const e of entries) {
    const hostsPath = [...e.groupPath, 'hosts'];
    const hosts = mapAt(src.doc, hostsPath);
    if (!hosts) continue;
    deleteKey(hosts, e.key);
    const groupMap = mapAt(src.doc, e.groupPath);
    if (hosts.items.length === 0 && groupMap) deleteKey(groupMap, 'hosts');
    collapseIfEmpty(src.doc, e.groupPath);
  }
  return [];
}

/** The mappings that hold the target's own variables (host entries, or the group's `vars`), and problems. */
function varHomes(src: YamlSource, target: VarTarget): { paths: KeyPath[]; problems: Problem[] } {
  if ('host' in target) {
    const { entries, problems } = directEntries(src, target.host);
    return { paths: entries.map((e) => [...e.groupPath, 'hosts', e.key]), problems };
  }
  const defs = groupDefs(src.doc).filter((d) => d.name === target.group);
  const paths = defs.map((d) => [...d.path, 'vars']);
  return { paths: paths.length ? paths : [[...newGroupPath(src.doc, target.group), 'vars']], problems: [] };
}

function setVars(src: YamlSource, target: VarTarget, vars: Assignment[]): Problem[] {
  const { paths, problems } = varHomes(src, target);
  if (problems.length) return problems;
  for (const a of vars) {
    const having = paths.filter((p) => hasKey(src.doc, p, a.key));
    const first = paths.find((p) => mapAt(src.doc, p)) ?? paths[0];
    for (const p of having.length ? having : first ? [first] : [])
      setKey(src.doc, ensureMap(src.doc, p), a.key, a.value, a.quotedBecause !== undefined);
  }
  return [];
}

function unsetVars(src: YamlSource, target: VarTarget, keys: string[]): Problem[] {
  const { paths, problems } = varHomes(src, target);
  if (problems.length) return problems;
  for (const key of keys) {
    const having = paths.filter((p) => hasKey(src.doc, p, key));
    if (!having.length) problems.push({ message: `variable "${key}" is not set on ${describeTarget(target)} in ${src.file}` });
    for (const p of having) {
      const map = mapAt(src.doc, p);
      if (map) deleteKey(map, key);
      if ('group' in target && map?.items.length === 0) {
        const groupMap = mapAt(src.doc, p.slice(0, -1));
        if (groupMap) deleteKey(groupMap, 'vars');
        collapseIfEmpty(src.doc, p.slice(0, -1));
      } else collapseIfEmpty(src.doc, p);
    }
  }
  return problems;
}
