import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { ConnectError, type ConnectFailure } from '../errors/connect-error.js';
import { abortedResult } from './aborted-result.js';
import { TransferError } from '../errors/transfer-error.js';
import type { ExecRequest, ExecResult, GetRequest, PutRequest, PutResult, Transport } from './transport.js';

/** What a scripted command returns: a partial result, or `hang` to never finish until its timeout/abort. */
export type FakeResponse = Partial<Omit<ExecResult, 'durationMs'>> | { hang: true };

/** A scripted answer: the first rule whose pattern matches the command wins (`times` limits how often). */
export interface FakeRule {
  match: RegExp | string | ((req: ExecRequest) => boolean);
  respond: FakeResponse | ((req: ExecRequest, m: RegExpExecArray | null) => FakeResponse | Promise<FakeResponse>);
  times?: number | undefined;
}

/** One recorded call (put content is recorded as bytes). */
export type FakeCall =
  | { kind: 'connect' | 'close' }
  | { kind: 'exec'; req: ExecRequest }
  | { kind: 'put'; req: PutRequest; content: Buffer }
  | { kind: 'get'; req: GetRequest };

/** How the fake behaves beyond its rules. */
export interface FakeOptions {
  /** Make connect() fail with this ConnectError kind. */
  connectFailure?: ConnectFailure | undefined;
  /** Result of commands no rule matches (default: exit 0, no output). Use 'reject' to throw instead. */
  unmatched?: FakeResponse | 'reject' | undefined;
  /** Initial remote files for get(). */
  files?: Record<string, string | Buffer> | undefined;
}

/** An in-memory, scripted Transport for engine tests: answers by regex on the command and records every call. */
export class FakeTransport implements Transport {
  readonly calls: FakeCall[] = [];
  readonly files = new Map<string, Buffer>();
  private readonly rules: FakeRule[] = [];
  connected = false;

  constructor(
    readonly host: string,
    private readonly opts: FakeOptions = {},
  ) {
    for (const [p, c] of Object.entries(opts.files ?? {})) this.files.set(p, Buffer.from(c));
  }

  /** Adds a rule; returns this for chaining. */
  on(match: FakeRule['match'], respond: FakeRule['respond'], times?: number): this {
    this.rules.push({ match, respond, times });
    return this;
  }

  /** The commands exec'd so far, in order. */
  get commands(): string[] {
    return this.calls.flatMap((c) => (c.kind === 'exec' ? [c.req.command] : []));
  }

  async connect(): Promise<void> {
    this.calls.push({ kind: 'connect' });
    const f = this.opts.connectFailure;
    if (f) throw new ConnectError(this.host, f, `cannot connect to ${this.host} (fake): ${f}`);
    this.connected = true;
  }

  async exec(req: ExecRequest): Promise<ExecResult> {
    this.calls.push({ kind: 'exec', req });
    const start = Date.now();
    const [rule, m] = this.findRule(req);
    if (!rule && this.opts.unmatched === 'reject') throw new Error(`fake ${this.host}: no rule for command: ${req.command}`);
    const unmatched = this.opts.unmatched === 'reject' ? {} : (this.opts.unmatched ?? {});
    const r = rule ? (typeof rule.respond === 'function' ? await rule.respond(req, m) : rule.respond) : unmatched;
    if ('hang' in r) return hang(req, start);
    if (r.stdout) req.onOutput?.('stdout', r.stdout);
    if (r.stderr) req.onOutput?.('stderr', r.stderr);
    return { stdout: '', stderr: '', code: 0, signal: null, timedOut: false, ...r, durationMs: Date.now() - start };
  }

  async put(req: PutRequest): Promise<PutResult> {
    const content = await toBuffer(req.content);
    this.calls.push({ kind: 'put', req, content });
    this.files.set(req.path, content);
    return { sha256: createHash('sha256').update(content).digest('hex') };
  }

  async get(req: GetRequest): Promise<Readable> {
    this.calls.push({ kind: 'get', req });
    const data = this.files.get(req.path);
    if (!data) throw new TransferError(this.host, 'read', req.path, `cat: ${req.path}: No such file or directory`);
    return Readable.from([data]);
  }

  async close(): Promise<void> {
    this.calls.push({ kind: 'close' });
    this.connected = false;
  }

  private findRule(req: ExecRequest): [FakeRule | undefined, RegExpExecArray | null] {
    for (const rule of this.rules) {
      if (rule.times !== undefined && rule.times <= 0) continue;
      const m = matchRule(rule, req);
      if (m === false) continue;
      if (rule.times !== undefined) rule.times--;
      return [rule, m];
    }
    return [undefined, null];
  }
}

/** The regex match (null for string/function matches) or false when the rule does not apply. */
function matchRule(rule: FakeRule, req: ExecRequest): RegExpExecArray | null | false {
  if (typeof rule.match === 'string') return req.command.includes(rule.match) ? null : false;
  if (rule.match instanceof RegExp) {
    rule.match.lastIndex = 0;
    return rule.match.exec(req.command) ?? false;
  }
  return rule.match(req) ? null : false;
}

/** A command that never finishes on its own: ends at its timeout (timedOut) or abort (aborted). */
function hang(req: ExecRequest, start: number): Promise<ExecResult> {
  return new Promise((resolve) => {
    const end = (timedOut: boolean): void => {
      clearTimeout(timer);
      if (!timedOut) return resolve(abortedResult(start));
      resolve({ stdout: '', stderr: '', code: null, signal: 'SIGKILL', timedOut: true, durationMs: Date.now() - start });
    };
    const timer = req.timeoutMs ? setTimeout(() => end(true), req.timeoutMs) : undefined;
    if (req.signal?.aborted) return end(false);
    req.signal?.addEventListener('abort', () => end(false), { once: true });
  });
}

/** Reads put content fully (fine for a test double). */
async function toBuffer(c: PutRequest['content']): Promise<Buffer> {
  if (typeof c === 'string') return Buffer.from(c);
  if (Buffer.isBuffer(c)) return c;
  const parts: Buffer[] = [];
  for await (const chunk of c) parts.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(parts);
}
