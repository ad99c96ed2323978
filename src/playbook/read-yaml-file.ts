import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Problem } from '../errors/problem.js';
import { didYouMean } from '../util/did-you-mean.js';
import { danglingLink } from '../util/file-check.js';
import { readInput } from '../util/read-input.js';
import { PYYAML_BOOL } from '../inventory/yaml11.js';
import { quotedTabsAsSpaces } from '../util/yaml-quoted-tabs.js';
import { parseYaml, type YamlSource } from '../util/yaml-source.js';

/** Reads and parses a YAML file; a missing/unreadable file or a syntax error becomes a problem (at `from`, where it is named). */
export function readYamlFile(file: string, from?: Problem['loc']): { source?: YamlSource; data?: unknown; problems: Problem[] } {
  const read = readInput(file, from ? 'file' : 'playbook', from);
  if (read.problem)
    return {
      problems: [read.code === 'ENOENT' && danglingLink(file) === undefined ? { ...read.problem, hint: similarFile(file) } : read.problem],
    };
  // a tab leading a quoted string's continuation line is folded away, as PyYAML does (the yaml package refuses it)
  const text = quotedTabsAsSpaces(read.text).text;
  // yes/no/on/off are booleans, as PyYAML reads them for Ansible (the rest of YAML 1.2's core schema is kept)
  const { source, problems } = parseYaml(file, text, { customTags: (tags) => [PYYAML_BOOL, ...tags] });
  if (problems.length) return { source, problems };
  return { source, data: source.doc.toJS({ maxAliasCount: 1000 }) as unknown, problems };
}

/** "did you mean" a YAML file next to a missing one. */
function similarFile(file: string): string | undefined {
  try {
    const names = readdirSync(dirname(file)).filter((n) => /\.ya?ml$/i.test(n));
    return didYouMean(basename(file), names);
  } catch {
    return undefined;
  }
}
