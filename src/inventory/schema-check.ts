import type { ErrorObject, ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Problem } from '../errors/problem.js';
import { didYouMean } from '../util/did-you-mean.js';
import { locatePath, type YamlSource } from '../util/yaml-source.js';
import type { YamlInventory } from '../generated/inventory.js';
import { validateInventory } from '../generated/inventory.validate.js';

const schemaPath = fileURLToPath(new URL('../../schema/inventory.schema.json', import.meta.url));
const GROUP_KEYS = ['hosts', 'vars', 'children'];

/** The published inventory JSON Schema (schema/inventory.schema.json). */
export function inventorySchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

// Precompiled from the schema by scripts/gen-types.mjs (the drift test keeps it in step): no Ajv compile at start-up.
function compiled(): ValidateFunction<YamlInventory> {
  return validateInventory as unknown as ValidateFunction<YamlInventory>;
}

/** Validates a parsed YAML inventory; every schema error becomes a Problem at its `file:line:col`. */
export function checkInventorySchema(src: YamlSource, data: unknown): Problem[] {
  if (data === null || data === undefined) return [];
  const validate = compiled();
  if (validate(data)) return [];
  const misplaced = new Set<string>();
  const problems: Problem[] = [];
  for (const e of validate.errors ?? []) {
    const path = pointerToPath(e.instancePath);
    const top = path[0];
    if (top !== undefined && GROUP_KEYS.includes(top)) {
      if (!misplaced.has(top)) problems.push(topLevelKey(src, top));
      misplaced.add(top);
      continue;
    }
    problems.push(toProblem(src, e, path, valueAt(data, path)));
  }
  return problems;
}

function topLevelKey(src: YamlSource, key: string): Problem {
  return {
    message: `top-level key "${key}" is read as a group name: top-level keys must be groups`,
    loc: locatePath(src, [key], { key: true }),
    hint: `put it under a group: "all:" then "  ${key}:" indented below it`,
  };
}

function toProblem(src: YamlSource, e: ErrorObject, path: string[], value: unknown): Problem {
  const where = describe(path);
  if (e.keyword === 'additionalProperties') {
    const key = String((e.params as { additionalProperty?: unknown }).additionalProperty);
    return {
      message: `unknown key "${key}" in ${where}`,
      loc: locatePath(src, [...path, key], { key: true }),
      hint: didYouMean(key, GROUP_KEYS) ?? 'a group may only have "hosts", "vars" and "children"',
    };
  }
  const loc = locatePath(src, path);
  if (e.keyword === 'type') {
    const found = kindOf(value);
    const last = path[path.length - 2];
    if (last === 'hosts' && typeof value !== 'object') {
      return {
        message: `variables of host "${path[path.length - 1]}" must be a mapping (found ${found})`,
        loc,
        hint: `write "ansible_host: ${String(value)}" under the host`,
      };
    }
    if (path[path.length - 1] === 'hosts' && Array.isArray(value)) {
      return {
        message: `${where} must be a mapping of host names (found a list)`,
        loc,
        hint: 'write each host as a key ("web1:" on its own line under "hosts:"), not as a list item',
      };
    }
    return { message: `${where} must be a mapping (found ${found})`, loc };
  }
  return { message: `${where} ${e.message ?? 'is invalid'}`, loc };
}

/** Names the place a path points to in user terms: `group "web"`, `"hosts" of group "web"`, … */
function describe(path: string[]): string {
  if (path.length === 0) return 'the inventory (top level: group names)';
  const last = path[path.length - 1] ?? '';
  const parent = path[path.length - 2];
  if (path.length === 1 || parent === 'children') return `group "${last}"`;
  if (parent === 'hosts') return `host "${last}"`;
  const group = path[path.length - 2] ?? '';
  return `"${last}" of group "${group}"`;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'nothing';
  return typeof v === 'object' ? 'a mapping' : `${typeof v} ${JSON.stringify(v)}`;
}

function pointerToPath(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function valueAt(data: unknown, path: string[]): unknown {
  let v: unknown = data;
  for (const seg of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[seg] : undefined;
  return v;
}
