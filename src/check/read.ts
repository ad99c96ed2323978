// Rules that report what the loaders found while reading the input (they read everything and keep every problem).
import type { RunRule } from './rule.js';

/** Bad -e values and other command-line input. */
export const commandLineInput: RunRule = { name: 'command-line-input', check: (ctx) => ctx.read.input };

/** Inventory sources that could not be read or parsed. */
export const inventoryFiles: RunRule = { name: 'inventory-files', check: (ctx) => ctx.read.inventory };

/** Playbook, task, role and vars files that could not be read, parsed or validated against the schema. */
export const playbookFiles: RunRule = { name: 'playbook-files', check: (ctx) => ctx.read.playbook };
