// What every check rule reads: the loaded model (inventory, plays, vars files), what the loaders already found
// wrong, the hosts the plays target and their connection variables, and the names the engine defines itself.
import type { ConnectionCliOptions, ConnectionProblem } from '../connection/connection-spec.js';
import type { Problem } from '../errors/problem.js';
import type { matchHosts } from '../inventory/patterns.js';
import type { Inventory } from '../inventory/types.js';
import type { Play } from '../playbook/model.js';

/** A host pattern matched against the inventory: the hosts, and what is wrong with the pattern. */
export type HostMatch = ReturnType<typeof matchHosts>;

/** The command-line options the rules judge (a subset of the engine's RunOptions). */
export interface CheckOptions {
  extraVars: Record<string, unknown>;
  tags: string[];
  skipTags: string[];
  startAtTask?: string | undefined;
  limit?: string | undefined;
  yes?: boolean | undefined;
  interactive?: boolean | undefined;
  check?: boolean | undefined;
  validateOnly?: boolean | undefined;
  /** A resume runs the plays from this one on. */
  resume?: { play: number } | undefined;
  /** The connection settings of the command line (the rules read the files they name). */
  connection: ConnectionCliOptions;
}

/** What the engine defines itself, which no playbook has to: the checks accept these names. */
export interface EngineNames {
  /** Variables every host has (magic variables, connection defaults such as ansible_host). */
  variables: readonly string[];
  /** Variables a rescue section sees (the failed task and its result). */
  rescueVariables: readonly string[];
  /** The names of the implicit localhost. */
  localhosts: readonly string[];
  /** Host and group names that add_host and group_by tasks create while the playbook runs. */
  runtimeHosts: ReadonlySet<string>;
}

/** One host the run connects to: its resolved connection variables and what resolving its connection found. */
export interface ConnectionHost {
  name: string;
  vars: Record<string, unknown>;
  /** Problems with its connection settings; `variable` names the inventory variable a problem is about. */
  problems: ConnectionProblem[];
}

/** Everything a rule may read. Rules never change it, except to add to `warnings`. */
export interface CheckContext {
  opts: CheckOptions;
  inventory: Inventory;
  plays: Play[];
  /** Every vars file, defaults file and inline vars of the plays, by key. */
  varsFiles: Map<string, Record<string, unknown>>;
  /** Vars files that could not be read (their variables are unknown). */
  unreadableFiles: ReadonlySet<string>;
  /** What the loaders found: bad -e values, unreadable inventory, playbook and vars files. */
  read: { input: Problem[]; inventory: Problem[]; playbook: Problem[] };
  /** --limit matched against the inventory, when given. */
  limited?: HostMatch | undefined;
  /** Each play's host pattern matched against the inventory (undefined for a play without hosts). */
  matches: Array<HostMatch | undefined>;
  /** Hosts each play targets (after --limit). */
  playHosts: string[][];
  /** Plays whose pattern is matched again when they start (it names hosts or groups the run creates). */
  rematch: boolean[];
  /** The hosts the run connects to (targeted and literal delegate_to hosts). */
  connections: ConnectionHost[];
  engine: EngineNames;
  /** A play's name as shown (its {{ templates }} rendered where possible). */
  playTitle: (play: Play) => string;
  /** Checks task arguments against controller-side resources (the object store); run only on otherwise valid input. */
  preflight?: (() => Promise<Problem[]>) | undefined;
  /** Where rules put what is worth saying but does not stop the run. */
  warnings: Problem[];
}

/** The context of a rule that looks at one play at a time. */
export interface PlayCheckContext extends CheckContext {
  play: Play;
  index: number;
}
