import type { HostState } from './host-state.js';
import type { ResumePoint } from './options.js';

/** Puts back what an interrupted run had learned: registered results, facts, and which hosts had failed. */
export function restoreHosts(hosts: Map<string, HostState>, resume: ResumePoint): void {
  for (const [name, saved] of Object.entries(resume.hosts)) {
    const h = hosts.get(name);
    if (!h) continue;
    Object.assign(h.registered, saved.registered);
    Object.assign(h.facts, saved.facts);
    if (saved.status === 'failed') h.failed = true;
    if (saved.status === 'unreachable') h.unreachable = true;
  }
}
