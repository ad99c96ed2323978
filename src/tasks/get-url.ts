import type { GetUrlArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { sha256Snippet } from '../util/sha256-command.js';
import { curlConfig, httpError } from './http-curl.js';
import { octalMode } from './path-probe.js';
import { bool, failed, plannedModule, unchanged, type Plan } from './plan.js';
import { changed } from './result.js';

/** `get_url`: downloads a URL to a file on the host with curl; replaces dest only when the bytes differ; `checksum: sha256:HEX` verified. As ansible-core's. */
export const getUrlModule = plannedModule<GetUrlArgs>({
  name: 'get_url',
  readOnly: false,
  probe(a) {
    const d = shellQuote(a.dest);
    return `command -v curl >/dev/null 2>&1 || echo nocurl; if [ -d ${d} ]; then echo dir; elif [ -f ${d} ]; then echo "file $(stat -c %a -- ${d})"; ${sha256Snippet(d)}; else echo absent; fi`;
  },
  plan(a, probe) {
    try {
      return plan(a, probe.stdout);
    } catch (e) {
      return failed((e as Error).message, { url: a.url, dest: a.dest });
    }
  },
});

function plan(a: GetUrlArgs, out: string): Plan {
  const lines = out.trim().split('\n');
  if (lines[0] === 'nocurl') return failed('get_url needs curl on the host', { url: a.url, dest: a.dest });
  const [kind = 'absent', mode = '644'] = (lines[0] ?? '').split(' ');
  const have = lines[1]?.trim();
  let dest = a.dest;
  if (kind === 'dir') dest = `${dest.replace(/\/$/, '')}/${decodeURIComponent(new URL(a.url).pathname.split('/').pop() || 'index.html')}`;
  let want = '';
  if (a.checksum) {
    const m = /^(\w+):(.+)$/.exec(a.checksum);
    if (m?.[1]?.toLowerCase() !== 'sha256')
      throw new Error(`tsplay's get_url verifies sha256 checksums only ("sha256:HEX"), got "${a.checksum}"`);
    want = (m[2] ?? '').replace(/\W+/g, '').toLowerCase();
    if (!/^[0-9a-f]{64}$/.test(want)) throw new Error('The checksum format is invalid');
  }
  const force = bool(a.force);
  const base = { url: a.url, dest };
  if (kind === 'file' && !force && want && want === have) return unchanged({ ...base, msg: 'file already exists' });
  const d = shellQuote(dest);
  const keep = octalMode(a.mode) ?? (kind === 'file' ? mode.padStart(4, '0') : '0644');
  const ims = kind === 'file' && !force && !want ? `-z ${d} ` : '';
  const sum = (v: string): string => sha256Snippet(v);
  const script = [
    `t=${shellQuote(`${dest}.tsplay-tmp`)}$$`,
    `h=$(mktemp) || exit 1`,
    `code=$(umask 077; curl -K - -L ${ims}-D "$h" -o "$t" -w '%{http_code}') || { rc=$?; rm -f "$t" "$h"; exit $rc; }`,
    // urllib's "OK (N bytes)" is the Content-Length header of the last response ("unknown" without one)
    `size=$(tr -d '\\r' < "$h" | awk 'tolower($1)=="content-length:"{v=$2} /^HTTP\\//{v=""} END{print v}'); rm -f "$h"; size=\${size:-unknown}`,
    `case $code in 304) rm -f "$t"; echo "$code 0"; exit 3;; 2??) ;; *) rm -f "$t"; echo "$code 0"; exit 4;; esac`,
    want ? `s=$(${sum('"$t"')}); if [ "$s" != ${want} ]; then rm -f "$t"; echo "$code $size $s"; exit 5; fi` : ':',
    `if [ -f ${d} ] && [ "$(${sum(d)})" = "$(${sum('"$t"')})" ]; then rm -f "$t"; echo "$code $size"; exit 3; fi`,
    `chmod ${keep} "$t" && mv -f "$t" ${d} && echo "$code $size"`,
  ].join('\n');
  const user = a.url_username ?? a.username;
  return {
    result: { ...base },
    steps: [
      {
        command: script,
        stdin: curlConfig({ ...a, timeout: undefined }, user, a.url_password ?? a.password, Number(a.timeout ?? 10)),
        show: `curl ${a.url} -> ${dest}`,
        ends: { 3: 'unchanged', 4: 'failed', 5: 'failed' },
        parse: (stdout) => {
          const [code = '0', size = '0', got] = stdout.trim().split(' ');
          const status = Number(code);
          // Ansible moved the download into place before checking it, then removed it: changed
          if (got) return { status_code: status, ...changed({ msg: `The checksum for ${dest} did not match ${want}; it was ${got}.` }) };
          if (status === 304) return { status_code: status, msg: httpError(304) };
          if (status < 200 || status > 299) return { status_code: status, msg: httpError(status) };
          return { status_code: status, msg: `OK (${size} bytes)` };
        },
      },
    ],
  };
}
