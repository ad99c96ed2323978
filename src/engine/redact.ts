/** Text shown in place of a secret. */
export const MASK = '********';

/** Replaces every known secret value in strings (deeply) before anything leaves the engine. */
export class Redactor {
  private secrets: string[] = [];
  private readonly known = new Set<string>();
  private readonly whole = new Set<string>();

  /** Registers values that must never be shown; short values (< 4 chars) are masked too but only as whole strings. */
  add(...values: unknown[]): void {
    let added = false;
    for (const v of values) {
      const s = typeof v === 'number' ? String(v) : v;
      if (typeof s === 'string' && s.length > 0 && !this.known.has(s)) {
        this.known.add(s);
        this.secrets.push(s);
        added = true;
      }
    }
    if (added) this.secrets.sort((a, b) => b.length - a.length);
  }

  /**
   * Registers values that are masked only where a whole string equals them: for values learned at run time that
   * may be ordinary words (a no_log task printing `active` must not mask every "active" of the run).
   */
  addWhole(...values: string[]): void {
    for (const v of values) if (v.length > 0 && !this.known.has(v)) this.whole.add(v);
  }

  /** Registers every string (and number) inside a value: a secret mapping or list is secret all the way down. */
  addDeep(v: unknown): void {
    this.add(...leaves(v));
  }

  /** Registers the values found under secret-looking key names anywhere inside a value (`{db: {password: x}}` → x). */
  addSecretKeys(v: unknown): void {
    this.add(...secretLeaves(v));
  }

  /**
   * How many characters at the end of `s` could be the start of a secret (the longest such tail), so live output
   * can hold them back until the next chunk shows whether the secret follows. Secrets over 1 KiB are not held back.
   */
  pendingPrefix(s: string): number {
    let best = 0;
    for (const secret of this.secrets) {
      if (secret.length < 4 || secret.length > 1024) continue;
      const first = secret.charCodeAt(0);
      for (let i = Math.max(0, s.length - secret.length + 1); i < s.length - best; i++) {
        if (s.charCodeAt(i) === first && secret.startsWith(s.slice(i))) {
          best = s.length - i;
          break;
        }
      }
    }
    return best;
  }

  /** True when there is anything to mask. */
  get active(): boolean {
    return this.secrets.length > 0 || this.whole.size > 0;
  }

  /** Masks secrets inside a string. */
  text(s: string): string {
    if (this.whole.has(s)) return MASK;
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

/** Every string and number inside a value (depth-limited). */
export function leaves(v: unknown, depth = 0, out: string[] = []): string[] {
  if (typeof v === 'string' || typeof v === 'number') out.push(String(v));
  else if (depth < 50 && v !== null && typeof v === 'object' && !Buffer.isBuffer(v))
    for (const x of Object.values(v)) leaves(x, depth + 1, out);
  return out;
}

const secretKeyCache = new WeakMap<object, string[]>();

/** The strings under secret-named keys anywhere inside a value (cached per object: variable values are never changed in place). */
export function secretLeaves(v: unknown, depth = 0): string[] {
  if (depth > 50 || v === null || typeof v !== 'object' || Buffer.isBuffer(v)) return [];
  const cached = secretKeyCache.get(v);
  if (cached) return cached;
  const out: string[] = [];
  for (const [k, x] of Object.entries(v)) {
    if (!Array.isArray(v) && isSecretName(k)) leaves(x, depth + 1, out);
    else out.push(...secretLeaves(x, depth + 1));
  }
  secretKeyCache.set(v, out);
  return out;
}

const SECRET_NAME = /(pass(word)?|secret|token|private_key|access_key|credential)s?$/i;

/** True for variable names that by convention hold secrets (ansible_password, *_secret, *_token, ...). */
export function isSecretName(name: string): boolean {
  // etcd's --initial-cluster-token only separates clusters; it protects nothing.
  if (/initial_cluster_token$/i.test(name)) return false;
  return SECRET_NAME.test(name);
}
