import type { UriArgs } from '../generated/playbook.js';
import { shellQuote } from '../util/shell-quote.js';
import { curlConfig, httpError, quoted } from './http-curl.js';
import type { ModuleResult } from './module.js';
import { bool, failed, plannedModule, type Plan } from './plan.js';
import { ok } from './result.js';

const JSON_TYPES = /^[^/]+\/(?:[^;+]*\+)?(json|javascript)\b/i;

/** Python's json.dumps (", " and ": " separators, non-ASCII escaped), as Ansible serialises a JSON body. */
export function pyJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pyJson).join(', ')}]`;
  if (v && typeof v === 'object')
    return `{${Object.entries(v)
      .map(([k, x]) => `${pyJson(k)}: ${pyJson(x)}`)
      .join(', ')}}`;
  return (JSON.stringify(v) ?? 'null').replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The request body and its content type, as Ansible's body_format makes them. */
function body(a: UriArgs): { data?: string; type?: string } {
  if (a.body === undefined || a.body === null) return {};
  const fmt = a.body_format ?? 'raw';
  if (fmt === 'json') return { data: typeof a.body === 'string' ? a.body : pyJson(a.body), type: 'application/json' };
  if (fmt === 'form-urlencoded') {
    const pairs =
      typeof a.body === 'object' ? Object.entries(a.body as Record<string, unknown>).map(([k, v]): [string, string] => [k, String(v)]) : [];
    return { data: typeof a.body === 'string' ? a.body : new URLSearchParams(pairs).toString(), type: 'application/x-www-form-urlencoded' };
  }
  return { data: typeof a.body === 'string' ? a.body : JSON.stringify(a.body) };
}

/** `uri`: one HTTP request from the host with curl; fails unless the status is in `status_code` (default 200); JSON bodies parsed into `json`. As ansible-core's. */
export const uriModule = plannedModule<UriArgs>({
  name: 'uri',
  readOnly: false,
  probe(a) {
    const checks = [
      a.creates !== undefined ? `[ -e ${shellQuote(a.creates)} ] && echo creates` : '',
      a.removes !== undefined ? `[ -e ${shellQuote(a.removes)} ] || echo removes` : '',
    ];
    return `command -v curl >/dev/null 2>&1 || echo nocurl; ${checks.filter(Boolean).join('; ') || 'true'}; true`;
  },
  plan(a, probe, env): Plan {
    const out = probe.stdout.split('\n');
    if (out.includes('nocurl')) return failed('uri needs curl on the host', { url: a.url });
    if (out.includes('creates')) return { result: ok({ stdout: `skipped, since '${a.creates ?? ''}' exists` }), steps: [] };
    if (out.includes('removes')) return { result: ok({ stdout: `skipped, since '${a.removes ?? ''}' does not exist` }), steps: [] };
    if (a.dest !== undefined) return failed("tsplay's uri does not write responses to dest; use get_url", { url: a.url });
    // ansible-core's uri does not support check mode: the task is skipped
    if (env.check) return { result: ok({ skipped: true, msg: 'remote module (uri) does not support check mode' }), steps: [] };
    const method = (a.method ?? 'GET').toUpperCase();
    if (!/^[A-Z]+$/.test(method)) return failed(`invalid method "${a.method ?? ''}"`, { url: a.url });
    const b = body(a);
    const headers = {
      ...(b.type && !Object.keys(a.headers ?? {}).some((h) => h.toLowerCase() === 'content-type') ? { 'Content-Type': b.type } : {}),
      ...(a.headers ?? {}),
    };
    const follow = a.follow_redirects === undefined || ['safe', 'all', 'yes', 'true', 'urllib2'].includes(String(a.follow_redirects));
    const extra = [
      `request = "${method}"`,
      ...(follow ? ['location'] : []),
      ...(b.data !== undefined ? [`data-raw = ${quoted(b.data)}`] : []),
    ];
    const config = curlConfig({ ...a, headers }, a.url_username ?? a.user, a.url_password ?? a.password, Number(a.timeout ?? 30), extra);
    // the config (body, headers, credentials) is curl's stdin: nothing of it is on a command line
    const script =
      `t=$(mktemp) && h=$(mktemp) || exit 1; m=$(curl -K - -D "$h" -o "$t" -w '%{http_code} %{num_redirects} %{url_effective} %{content_type}'); rc=$?; [ $rc = 0 ] || { rm -f "$t" "$h"; exit $rc; }; ` +
      `l=$(tr -d '\\r' < "$h" | awk 'tolower($1)=="content-length:"{v=$2} /^HTTP\\//{v=""} END{print v}'); printf '%s %s\\n' "\${l:-unknown}" "$m"; cat "$t"; rm -f "$t" "$h"`;
    const codes = (
      Array.isArray(a.status_code) ? a.status_code : a.status_code === undefined ? [200] : String(a.status_code).split(',')
    ).map((c) => Number(c));
    return {
      result: ok({ url: a.url }),
      steps: [
        {
          command: script,
          stdin: config,
          show: `curl -X ${method} ${a.url}`,
          parse: (stdout) => response(stdout, codes, bool(a.return_content)),
        },
      ],
    };
  },
});

function response(stdout: string, codes: number[], returnContent: boolean): ModuleResult {
  const nl = stdout.indexOf('\n');
  const [length = 'unknown', status = '0', redirects = '0', effective = '', ...type] = (nl < 0 ? stdout : stdout.slice(0, nl)).split(' ');
  const content = nl < 0 ? '' : stdout.slice(nl + 1);
  const code = Number(status);
  const contentType = type.join(' ');
  const r: ModuleResult = { status: code, redirected: Number(redirects) > 0, url: effective, content_type: contentType };
  const ok = code >= 200 && code < 300;
  r['msg'] = ok ? `OK (${length} bytes)` : httpError(code);
  if (JSON_TYPES.test(contentType)) {
    try {
      r['json'] = JSON.parse(content) as unknown;
    } catch {
      // not JSON after all: no json field, as Ansible
    }
  }
  if (returnContent) r['content'] = content;
  if (!codes.includes(code)) {
    r['msg'] = `Status code was ${code} and not [${codes.join(', ')}]: ${String(r['msg'])}`;
    r.failed = true;
  }
  return r;
}
