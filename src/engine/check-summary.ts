import type { ModuleResult } from '../tasks/module.js';

/**
 * What a check-mode result shows at default verbosity: the module's plan and, on a line each, every exact command it
 * would run (those its message does not already quote); undefined for a result that is not a check-mode plan.
 */
export function checkSummary(r: ModuleResult): string | undefined {
  const items = Array.isArray(r['results']) ? (r['results'] as ModuleResult[]) : [];
  if (items.some((i) => i['check_mode'])) return items.map(checkSummary).filter(Boolean).join('\n');
  if (!r['check_mode']) return undefined;
  const msg = typeof r.msg === 'string' ? r.msg : '';
  const planned = r['would_run'];
  const commands = (Array.isArray(planned) ? planned : [planned]).filter((c): c is string => typeof c === 'string' && c !== '');
  const lines = [msg, ...commands.filter((c) => !msg.includes(c)).map((c) => `would run: ${c}`)].filter(Boolean);
  return lines.length ? lines.join('\n') : 'check mode: would change this host (the module names no command)';
}

/** Marks a result produced in check mode that would change something (or that skipped a command) as a plan, for checkSummary. */
export function markCheckResult(r: ModuleResult, check: boolean): void {
  if (check && !r.failed && (r.changed || r['would_run'] !== undefined)) r['check_mode'] = true;
}
