// Functions callable in expressions (`range(3)`), and the Ansible/Jinja globals we refuse with what to write
// instead: lookup plugins read the controller (files, environment, commands), which a template here never does.
import type { CallableDef } from './callable.js';
import { ValueProblem } from '../errors/value-problem.js';

function range(_input: unknown, a: { rest: unknown[] }): number[] {
  const args = a.rest.map((x) => {
    if (typeof x !== 'number' || !Number.isInteger(x)) throw new ValueProblem('range() takes whole numbers');
    return x;
  });
  const [start, stop, step] = args.length === 1 ? [0, args[0] ?? 0, 1] : [args[0] ?? 0, args[1] ?? 0, args[2] ?? 1];
  if (step === 0) throw new ValueProblem('range(): the step cannot be 0');
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) {
    out.push(i);
    if (out.length > 100_000) throw new ValueProblem('range(): more than 100000 numbers');
  }
  return out;
}

/** Every function, by name (the input of a function call is unused). */
export const FUNCTIONS: Readonly<Record<string, CallableDef>> = {
  range: {
    min: 0,
    rest: true,
    fn: (i, a) => {
      if (a.rest.length < 1 || a.rest.length > 3) throw new ValueProblem('range() takes 1 to 3 numbers');
      return range(i, a);
    },
  },
};

/** What to write instead of each lookup plugin people use. */
const LOOKUP_HINTS: Readonly<Record<string, string>> = {
  env: 'pass the value with -e NAME=VALUE, or read it on a host with a task (command: printenv NAME, register)',
  file: 'put the values in vars_files, or read a host file with slurp',
  template: 'render the file with the template module',
  pipe: 'run the command in a task (delegate_to: localhost) and register its output',
  password: 'generate the secret before the run and pass it with -e (or a vars file)',
  vars: 'write the variable name directly, or hostvars[inventory_hostname][NAME]',
  first_found: 'name the file explicitly',
  fileglob: 'list the files in a task (find) and loop over the result',
  items: 'use loop: with the list',
  dict: 'use the dict2items filter: loop: "{{ d | dict2items }}"',
};

/** The message for a function we do not have but Ansible does (lookup, query, now...), or undefined. */
export function refusedFunction(name: string, firstArg: string | undefined): { message: string; hint?: string } | undefined {
  if (name === 'lookup' || name === 'query' || name === 'q') {
    const plugin = firstArg ?? '?';
    return {
      message: `${name}('${plugin}', ...) is an Ansible lookup plugin: tsplay has no lookup plugins (templates never read the controller's files, environment or commands)`,
      hint: LOOKUP_HINTS[plugin] ?? 'compute the value in a task and register it, or pass it with -e',
    };
  }
  if (name === 'now')
    return {
      message: 'now() is not available (templates are rendered the same way everywhere)',
      hint: 'run command: date -u +%Y%m%dT%H%M%SZ in a task and register it',
    };
  if (name === 'lipsum' || name === 'cycler' || name === 'joiner' || name === 'namespace') return { message: `${name}() is not available` };
  return undefined;
}
