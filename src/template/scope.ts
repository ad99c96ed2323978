// Variable scopes: user-authored values are rendered lazily on first access (they may refer to
// other variables), with cycle detection; values that came from hosts are never rendered.
import { TemplateError, type TemplateWhere } from '../errors/template-error.js';
import { isTemplate, renderValue } from './render.js';

/** One layer of variables; later layers override earlier ones by top-level key. */
export interface ScopeLayer {
  /** `authored`: playbook/inventory/extra vars (may contain templates); `data`: registered results, facts (never rendered). */
  kind: 'authored' | 'data';
  vars: Record<string, unknown>;
}

function hasTemplate(v: unknown): boolean {
  if (typeof v === 'string') return isTemplate(v);
  if (Array.isArray(v)) return v.some(hasTemplate);
  if (typeof v === 'object' && v !== null) return Object.values(v).some(hasTemplate);
  return false;
}

/** Builds a scope (a null-prototype object) whose authored templates render on first read. */
export function makeScope(layers: ScopeLayer[], where: TemplateWhere): Record<string, unknown> {
  const winners = new Map<string, { kind: ScopeLayer['kind']; value: unknown }>();
  for (const layer of layers) {
    for (const [k, value] of Object.entries(layer.vars)) winners.set(k, { kind: layer.kind, value });
  }
  const scope: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  const resolving: string[] = [];
  const settle = (k: string, value: unknown): void => {
    Object.defineProperty(scope, k, { value, enumerable: true, configurable: true, writable: false });
  };
  for (const [k, { kind, value }] of winners) {
    if (kind === 'data' || !hasTemplate(value)) {
      settle(k, value);
      continue;
    }
    Object.defineProperty(scope, k, {
      enumerable: true,
      configurable: true,
      get: () => {
        const at = resolving.indexOf(k);
        if (at >= 0) {
          const through = resolving.slice(at + 1).map((n) => `"${n}"`);
          const how = through.length > 0 ? `refers to itself through ${through.join(' -> ')}` : 'refers to itself';
          throw new TemplateError(`variable "${k}" ${how}`, where, k);
        }
        resolving.push(k);
        try {
          const rendered = renderValue(value, scope, { ...where, field: `vars.${k}` });
          settle(k, rendered);
          return rendered;
        } finally {
          resolving.pop();
        }
      },
    });
  }
  return scope;
}
