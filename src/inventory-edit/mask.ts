import { isSecretName, MASK } from '../engine/redact.js';
import { isFloatAt, markFloat } from '../inventory/py-float.js';

/** True for names that look like secrets: the engine's `isSecretName`, plus any name containing password, secret or token. */
export function looksSecret(name: string): boolean {
  return isSecretName(name) || /password|secret|token|_pass$/i.test(name);
}

/**
 * A copy of `vars` with the strings of secret-looking variables (at any depth) shown as `********`; a non-string value
 * (`kube_webhook_token_auth: false`, a port number) is not a secret and keeps its value and type. Float marks are kept.
 */
export function maskVars(vars: Record<string, unknown>, secret = false): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(vars)) {
    Object.defineProperty(out, k, { value: maskValue(v, secret || looksSecret(k)), enumerable: true, writable: true, configurable: true });
    markFloat(out, k, isFloatAt(vars, k));
  }
  return out;
}

function maskValue(v: unknown, secret: boolean): unknown {
  if (typeof v === 'string') return secret ? MASK : v;
  if (Array.isArray(v)) {
    const out = v.map((x) => maskValue(x, secret));
    v.forEach((_, i) => markFloat(out, i, isFloatAt(v, i)));
    return out;
  }
  if (typeof v === 'object' && v !== null) return maskVars(v as Record<string, unknown>, secret);
  return v;
}

/** A diff or file line with the values of secret-looking `key=value` / `key: value` pairs shown as `********`. */
export function maskLine(line: string): string {
  return line.replace(/([A-Za-z_][A-Za-z0-9_]*)(\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,}#]+)/g, (all, key: string, sep: string) =>
    looksSecret(key) ? `${key}${sep}${MASK}` : all,
  );
}
