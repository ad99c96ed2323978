import type { ModuleTask, Play } from '../playbook/model.js';
import type { RunContext } from './context.js';
import type { HostState } from './host-state.js';
import type { AuthoredVars } from './scope.js';

/** What running one task on one host needs (shared by the runner and the result publisher). */
export interface HostTaskInput {
  rc: RunContext;
  play: Play;
  task: ModuleTask;
  /** The block and task vars of the task (outermost first), with the items of the include loops it runs in. */
  authored: AuthoredVars;
  host: HostState;
  taskId: string;
  batch: string[];
  /** run_once: the hosts this host's result is shared with. */
  sharedWith?: string[] | undefined;
}
