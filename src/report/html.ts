import { dur, outcomeText, type RunRecord } from './record.js';

const esc = (s: unknown): string =>
  String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

const CSS = `body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#1b1f23}h1{font-size:1.5em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
table{border-collapse:collapse;margin:.5em 0;width:100%}th,td{border:1px solid #d0d7de;padding:3px 6px;text-align:left;vertical-align:top}
th{background:#f3f5f7}code{font:12px ui-monospace,monospace;white-space:pre-wrap;word-break:break-all}.ok{color:#1a7f37}.changed{color:#9a6700}
.failed,.unreachable{color:#cf222e;font-weight:bold}.skipped{color:#6e7781}.outcome{padding:.6em;border-radius:4px;background:#f6f8fa}
.complete{border-left:6px solid #1a7f37}.stopped,.unfinished{border-left:6px solid #9a6700}.failed-run{border-left:6px solid #cf222e}`;

/** A self-contained HTML page (no script, no external resource) for the change ticket. */
export function renderHtml(r: RunRecord): string {
  const out: string[] = [];
  const cls = r.outcome === 'failed' ? 'failed-run' : r.outcome;
  out.push(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tsplay run record: ${esc(base(r.inputs.playbook))}</title><style>${CSS}</style></head><body>`,
  );
  out.push(`<h1>Run record: ${esc(base(r.inputs.playbook))}</h1>`);
  out.push(`<p id="outcome" class="outcome ${cls}" data-outcome="${r.outcome}">${esc(outcomeText(r))}</p>`);
  out.push('<table id="inputs"><tbody>');
  const first = r.segments[0];
  const rows: Array<[string, string]> = [
    ['Playbook', r.inputs.playbook],
    ['Inventory', r.inputs.inventory.join(', ')],
    ['Limit', r.inputs.limit ?? '(none)'],
    ['Extra vars', Object.keys(r.inputs.extraVars).length ? JSON.stringify(r.inputs.extraVars) : '(none)'],
    ['Check mode', r.inputs.check ? 'yes (nothing was changed)' : 'no'],
    ['Started', first?.startedAt ?? ''],
    ['Runs', `${r.segments.length} (${r.segments.length > 1 ? 'with resumes' : 'one process'})`],
    ['Journal', r.journal],
  ];
  for (const [k, v] of rows) out.push(`<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`);
  out.push('</tbody></table>');

  const sections = r.segments.flatMap((s) => s.sections);
  out.push('<h2>Critical sections</h2>');
  if (!sections.length) out.push('<p>None ran.</p>');
  else {
    out.push(
      '<table id="sections"><thead><tr><th>Section</th><th>Started</th><th>Took (downtime)</th><th>Declared</th><th>Outcome</th></tr></thead><tbody>',
    );
    for (const s of sections)
      out.push(
        `<tr><td>${esc(s.name)}</td><td>${esc(s.startedAt)}</td><td class="downtime">${esc(dur(s.durationMs))}</td><td>${esc(dur(s.expectedMs))}</td><td>${esc(s.outcome)}</td></tr>`,
      );
    out.push('</tbody></table>');
  }

  out.push(
    '<h2>Hosts</h2><table id="recap"><thead><tr><th>Host</th><th>ok</th><th>changed</th><th>failed</th><th>unreachable</th><th>skipped</th><th>rescued</th><th>ignored</th></tr></thead><tbody>',
  );
  const recap = r.segments[r.segments.length - 1]?.recap ?? {};
  for (const [h, c] of Object.entries(recap))
    out.push(
      `<tr><td>${esc(h)}</td><td>${c.ok}</td><td>${c.changed}</td><td>${c.failed}</td><td>${c.unreachable}</td><td>${c.skipped}</td><td>${c.rescued}</td><td>${c.ignored}</td></tr>`,
    );
  out.push('</tbody></table>');

  out.push('<h2>What changed where</h2>');
  const changed = r.segments.flatMap((s) => s.steps.filter((x) => x.status === 'changed'));
  if (!changed.length) out.push('<p>Nothing was changed on any host.</p>');
  else {
    out.push('<table id="changes"><thead><tr><th>Host</th><th>Task</th><th>Command</th></tr></thead><tbody>');
    for (const c of changed)
      out.push(
        `<tr><td>${esc(c.host)}</td><td>${esc(c.task)}${c.item ? ` (${esc(c.item)})` : ''}</td><td><code>${esc(c.command ?? '')}</code></td></tr>`,
      );
    out.push('</tbody></table>');
  }

  out.push('<h2>Kept data dirs</h2>');
  if (!r.kept.length) out.push('<p>None recorded.</p>');
  else {
    out.push('<ul id="kept">');
    for (const k of r.kept) out.push(`<li>${esc(k.host)}: <code>${esc(k.path)}</code></li>`);
    out.push('</ul><p>Delete them once the cluster is verified (playbooks/prune-kept.yaml lists and removes old ones).</p>');
  }

  for (const [i, s] of r.segments.entries()) {
    out.push(`<h2>Timeline${r.segments.length > 1 ? ` (${i === 0 ? 'first run' : `resume ${i}`})` : ''}</h2>`);
    out.push(
      `<p>Started ${esc(s.startedAt)}; ${s.exitCode === undefined ? 'no end recorded' : `ended with exit code ${s.exitCode} after ${esc(dur(s.durationMs))}`}${s.stopped ? `; stopped: ${esc(s.stopped)}` : ''}.</p>`,
    );
    out.push(
      `<table class="timeline"><thead><tr><th>At</th><th>Play</th><th>Task</th><th>Host</th><th>Status</th><th>Took</th><th>Command / message</th></tr></thead><tbody>`,
    );
    for (const x of s.steps) {
      out.push(
        `<tr><td>+${esc(dur(Math.max(0, x.atMs)))}</td><td>${esc(x.play)}</td><td>${esc(x.task)}${x.item ? ` (${esc(x.item)})` : ''}</td><td>${esc(x.host)}</td><td class="${x.status}">${x.status}</td><td>${esc(dur(x.durationMs))}</td><td><code>${esc(x.command ?? x.msg)}</code></td></tr>`,
      );
    }
    out.push('</tbody></table>');
    if (s.warnings.length) out.push(`<h3>Warnings</h3><ul>${s.warnings.map((w) => `<li>${esc(w)}</li>`).join('')}</ul>`);
  }
  out.push(`<p><small>Written by tsplay report from ${esc(r.journal)}; secrets were masked in the journal.</small></p></body></html>\n`);
  return out.join('\n');
}

function base(p: string): string {
  return p.split('/').pop() ?? p;
}
