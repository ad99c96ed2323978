import type { TempfileArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { plannedModule } from './plan.js';
import { changed, ok } from './result.js';

/** `tempfile`: creates a temporary file (0600) or directory (0700) with `mktemp`; its name is the result's `path`. As ansible-core's. */
export const tempfileModule = plannedModule<TempfileArgs>({
  name: 'tempfile',
  readOnly: false,
  probe: () => undefined,
  plan(a, _probe, env) {
    // ansible-core's tempfile does not support check mode: the task is skipped
    if (env.check) return { result: ok({ skipped: true, msg: 'remote module (tempfile) does not support check mode' }), steps: [] };
    const dir = a.path !== undefined ? shellQuote(a.path) : '"${TMPDIR:-/tmp}"';
    const suffix = a.suffix ? ` --suffix=${shellQuote(a.suffix)}` : '';
    const template = shellQuote(`${a.prefix ?? 'ansible.'}XXXXXXXX`);
    return {
      result: changed(),
      steps: [{ command: `mktemp${(a.state ?? 'file') === 'directory' ? ' -d' : ''}${suffix} -p ${dir} ${template}`, capture: 'path' }],
    };
  },
});
