import type { ModuleTask, Play } from '../playbook/model.js';
import type { RunContext } from './context.js';
import type { Frames } from './frames.js';
import type { HostState } from './host-state.js';

/** What running one task on one host needs (shared by the runner and the result publisher). */
export interface HostTaskInput {
  rc: RunContext;
  play: Play;
  task: ModuleTask;
  frames: Frames;
  host: HostState;
  taskId: string;
  batch: string[];
  /** run_once: the hosts this host's result is shared with. */
  sharedWith?: string[] | undefined;
}
