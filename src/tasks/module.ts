import type { ModuleName } from '../playbook/model.js';
import type { DryRunState } from './dry-run-state.js';
import type { Become, ExecRequest, ExecResult, Transport } from '../transports/transport.js';
import type { Store } from '../store/client.js';
import type { StoreOverrides } from '../store/config.js';

/** What a module may use while it runs on one host; passed explicitly, no globals. */
export interface ModuleContext {
  host: string;
  /** The connection to the host (the delegate's for delegate_to); undefined for controller-only modules. */
  transport: Transport | undefined;
  /** True when the module must not change anything (check mode). */
  check: boolean;
  /** --diff: file modules put before/after in their result's `diff`. */
  diff?: boolean | undefined;
  /** In a check-mode run (also for read-only modules): what earlier planned steps would have done on the hosts. */
  dryRun?: DryRunState | undefined;
  signal: AbortSignal;
  become: Become | undefined;
  timeoutMs: number | undefined;
  env: Record<string, string> | undefined;
  /** Directory of the playbook file the task came from (controller-side relative paths). */
  dir: string;
  /** Directory of the role the task came from (template and copy look in its templates/ and files/ first). */
  roleDir?: string | undefined;
  /** The host's variable scope (read-only). */
  vars: Record<string, unknown>;
  /** Renders a template string with the host's scope (for the template module's file). */
  render(template: string, field: string): string;
  /** Evaluates an expression of the condition language with the host's scope. */
  evaluate(expression: string): unknown;
  /** Live output lines for progress views. */
  onOutput(stream: 'stdout' | 'stderr', text: string): void;
  /** Progress of a long transfer (shown at default verbosity, not kept in journals). */
  onProgress?: ((text: string) => void) | undefined;
  /** Asks the operator to confirm (true = go on); answers true under --yes, refuses without a TTY. */
  confirm(message: string): Promise<boolean>;
  verbosity: number;
  /** Opens the object store for the s3 modules; unset (the engine) means the controller's environment (store/client.ts openStore). Test fixtures set a fake. */
  openStore?: ((overrides: StoreOverrides) => Store) | undefined;
}

/** A module's result: the registered variable. Failures and successes have the same shape. */
export interface ModuleResult {
  changed?: boolean;
  failed?: boolean;
  skipped?: boolean;
  msg?: unknown;
  [key: string]: unknown;
}

/** A task type: what it needs and how it runs. */
export interface ModuleDef<A = unknown> {
  name: ModuleName;
  /** Needs a connection to the host (false: runs on the controller only). */
  remote: boolean;
  /** Changes nothing anywhere, so it runs normally in check mode. */
  readOnly: boolean;
  /** Arguments that are expressions, not templates (left unrendered for the module to evaluate). */
  rawArgs?: readonly string[];
  /** Facts (variables) the module sets on the host, for the validation-time undefined-variable check. */
  facts?: readonly string[];
  /**
   * A check that runs during validation (before any host is contacted) when the task's arguments are fully known
   * from -e, inventory, play and vars-file variables: returns the problem with its input, if any. It may read
   * controller-side resources such as the object store, never a host; trouble reaching them is not a problem
   * here (the task reports it when it runs).
   */
  preflight?(args: A, ctx: PreflightContext): Promise<PreflightProblem | undefined>;
  run(args: A, ctx: ModuleContext): Promise<ModuleResult>;
}

/** What a module's preflight may use. */
export interface PreflightContext {
  signal: AbortSignal;
  /** Directory of the playbook file the task came from. */
  dir: string;
}

/** A problem a preflight found: message, the argument it is about (for its file:line:col), and a hint. */
export interface PreflightProblem {
  message: string;
  arg?: string | undefined;
  hint?: string | undefined;
}

/** Runs a command line on the module's host with the context's become/env/timeout/signal, streaming output. */
export function execOn(ctx: ModuleContext, command: string, extra: Partial<ExecRequest> = {}): Promise<ExecResult> {
  if (!ctx.transport) throw new Error(`no connection to ${ctx.host}`);
  return ctx.transport.exec({
    command,
    become: ctx.become,
    env: ctx.env,
    timeoutMs: ctx.timeoutMs,
    signal: ctx.signal,
    onOutput: ctx.onOutput,
    ...extra,
  });
}

/** Splits output into lines the way Ansible's stdout_lines does. */
export function lines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

/** The module's connection to its host; throws, naming the host, for a context without one. */
export function transportOf(ctx: ModuleContext): Transport {
  if (!ctx.transport) throw new Error(`no connection to ${ctx.host}`);
  return ctx.transport;
}
