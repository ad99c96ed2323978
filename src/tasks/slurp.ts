import type { SlurpArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { failed, plannedModule, unchanged } from './plan.js';

/** `slurp`: a file's content from the host, base64-encoded (read with `base64`, no Python); as ansible-core's. */
export const slurpModule = plannedModule<SlurpArgs>({
  name: 'slurp',
  readOnly: true,
  probe(a) {
    const p = shellQuote(a.src ?? a.path ?? '');
    return `if [ -d ${p} ]; then echo isdir; elif [ ! -e ${p} ]; then echo absent; elif [ ! -r ${p} ]; then echo unreadable; else echo ok && base64 < ${p} | tr -d '\\n'; fi`;
  },
  plan(a, probe) {
    const src = a.src ?? a.path;
    if (!src) return failed('missing required arguments: src');
    const [head = '', data = ''] = probe.stdout.split('\n');
    if (probe.code !== 0) return failed(`unable to slurp file: ${probe.stderr.trim()}`);
    if (head === 'absent') return failed(`file not found: ${src}`);
    if (head === 'unreadable') return failed(`file is not readable: ${src}`);
    if (head === 'isdir') return failed(`source is a directory and must be a file: ${src}`);
    return unchanged({ content: data.trim(), source: src, encoding: 'base64' });
  },
});
