/** Text shown in place of a secret. */
export const MASK = '********';

/** Replaces every known secret value in strings (deeply) before anything leaves the engine. */
export class Redactor {
  private secrets: string[] = [];

  /** Registers values that must never be shown; short values (< 4 chars) are masked too but only as whole strings. */
  add(...values: unknown[]): void {
    for (const v of values) {
      if (typeof v === 'string' && v.length > 0 && !this.secrets.includes(v)) this.secrets.push(v);
      else if (typeof v === 'number') this.add(String(v));
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  /** True when there is anything to mask. */
  get active(): boolean {
    return this.secrets.length > 0;
  }

  /** Masks secrets inside a string. */
  text(s: string): string {
    let out = s;
    for (const secret of this.secrets) {
      if (secret.length < 4) {
        if (out === secret) return MASK;
        continue;
      }
      out = out.split(secret).join(MASK);
    }
    return out;
  }

  /** Masks secrets inside any JSON-like value (returns a copy). */
  value<T>(v: T): T {
    if (!this.active) return v;
    return this.walk(v, 0) as T;
  }

  private walk(v: unknown, depth: number): unknown {
    if (typeof v === 'string') return this.text(v);
    if (depth > 50 || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map((x) => this.walk(x, depth + 1));
    if (Buffer.isBuffer(v)) return v;
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, this.walk(x, depth + 1)]));
  }
}

const SECRET_NAME = /(pass(word)?|secret|token|private_key|access_key|credential)s?$/i;

/** True for variable names that by convention hold secrets (ansible_password, *_secret, *_token, ...). */
export function isSecretName(name: string): boolean {
  // etcd's --initial-cluster-token only separates clusters; it protects nothing.
  if (/initial_cluster_token$/i.test(name)) return false;
  return SECRET_NAME.test(name);
}
