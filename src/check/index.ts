export type { CheckContext, ConnectionHost } from './context.js';
export { runRules } from './rule.js';
export { RULES } from './rules.js';
