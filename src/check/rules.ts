// The table of every validation rule, in the order their problems are collected (the runner then sorts them by
// place). Each rule is small and named; `runRules` (rule.ts) runs the table and returns every problem at once.
import { becomeSettings, connectionFiles, connectionSettings } from './connections.js';
import { criticalKeywords } from './critical.js';
import { delegates } from './delegates.js';
import { destructive } from './destructive.js';
import { handlers } from './handlers.js';
import { limitExcludesPlay, limitPattern, playHosts } from './hosts.js';
import { commandLineInput, inventoryFiles, playbookFiles } from './read.js';
import type { Rule, WhenValidRule } from './rule.js';
import { startAtTask, tags } from './selection.js';
import { booleanStrings, untilRegister } from './task-keywords.js';
import { runTimeIncludes } from './run-time-includes.js';
import { templates } from './templates.js';
import { undefinedVariables } from './undefined-variables.js';

/** Checks task arguments against controller-side resources (a snapshot named with -e must exist in the store). */
const modulePreflights: WhenValidRule = {
  name: 'module-preflights',
  whenValid: true,
  check: async (ctx) => (ctx.preflight ? ctx.preflight() : []),
};

/** Every rule, in order. */
export const RULES: readonly Rule[] = [
  commandLineInput,
  inventoryFiles,
  limitPattern,
  playHosts,
  limitExcludesPlay,
  playbookFiles,
  templates,
  runTimeIncludes,
  handlers,
  untilRegister,
  booleanStrings,
  criticalKeywords,
  delegates,
  undefinedVariables,
  startAtTask,
  tags,
  destructive,
  connectionSettings,
  connectionFiles,
  becomeSettings,
  modulePreflights,
];
