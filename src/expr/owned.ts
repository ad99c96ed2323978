// Mappings a template made itself with `{% set d = {...} %}`: the only values `.update()` may change in place, so
// a template can never modify a variable, a fact or a registered result.

const owned = new WeakSet<object>();

/** A shallow copy of a mapping that `.update()` may change (other values are returned as they are). */
export function ownedCopy(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const copy = Object.assign(Object.create(null) as Record<string, unknown>, v);
  owned.add(copy);
  return copy;
}

/** True for a mapping made by ownedCopy. */
export function isOwned(v: unknown): boolean {
  return typeof v === 'object' && v !== null && owned.has(v);
}
