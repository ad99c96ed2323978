import { isSecretName, MASK } from '../engine/redact.js';

/** True for names that look like secrets: the engine's `isSecretName`, plus any name containing password, secret or token. */
export function looksSecret(name: string): boolean {
  return isSecretName(name) || /password|secret|token|_pass$/i.test(name);
}

/** A copy of `vars` with secret-looking variables (at any depth) shown as `********`. */
export function maskVars(vars: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    const value = looksSecret(k) ? MASK : maskValue(v);
    Object.defineProperty(out, k, { value, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function maskValue(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(maskValue);
  if (typeof v === 'object' && v !== null) return maskVars(v as Record<string, unknown>);
  return v;
}

/** A diff or file line with the values of secret-looking `key=value` / `key: value` pairs shown as `********`. */
export function maskLine(line: string): string {
  return line.replace(/([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,}#]+)/g, (all, key: string, sep: string) => (looksSecret(key) ? `${key}${sep}${MASK}` : all));
}
