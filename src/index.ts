// Public API of tsplay (library use); the CLI is in cli/.
export type { Problem, SourceLocation } from './errors/problem.js';
