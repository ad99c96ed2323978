import { readFileSync } from 'node:fs';
import type { Problem } from '../errors/problem.js';
import { parseYaml, type YamlSource } from '../util/yaml-source.js';

/** Reads and parses a YAML file; a missing/unreadable file or a syntax error becomes a problem. */
export function readYamlFile(
  file: string,
  from?: Problem['loc'],
): { source?: YamlSource; data?: unknown; problems: Problem[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(code);
    return { problems: [{ message: `cannot read ${file}: ${why}`, loc: from }] };
  }
  const { source, problems } = parseYaml(file, text);
  if (problems.length) return { source, problems };
  return { source, data: source.doc.toJS({ maxAliasCount: 1000 }) as unknown, problems };
}
