import type { Problem } from '../errors/problem.js';
import type { YamlSource } from '../util/yaml-source.js';
import { checkSchema } from './schema-check.js';

/** Validates a file of tasks (import_tasks) against the schema's TaskList definition. */
export function checkTaskList(src: YamlSource, data: unknown): Problem[] {
  if (!Array.isArray(data)) return [{ message: 'a tasks file must be a list of tasks', loc: { file: src.file, line: 1, col: 1 } }];
  return checkSchema(src, data, 'tasks');
}
