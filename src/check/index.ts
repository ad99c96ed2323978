export type { CheckContext, CheckOptions, ConnectionHost, EngineNames, HostMatch, PlayCheckContext } from './context.js';
export { dynamicNames } from './dynamic-names.js';
export { keyLoc, varLocation } from './locate.js';
export { runRules, type Rule } from './rule.js';
export { RULES } from './rules.js';
