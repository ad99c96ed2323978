// Jinja expressions, templates and conditions compared with real Ansible. Each fixture in
// test/fixtures/ansible/expressions/ lists cases with what ansible-core 2.14 gave (a value, a text, a truth, or a
// failure); this test checks that tsplay gives the same and, when ansible-core is installed (CI installs it), that
// Ansible still gives what is recorded: all cases go through ansible-core's Templar in one Python process (~2 s).
// Re-record after adding cases: TSPLAY_RECORD_ANSIBLE=1 node --import tsx --test test/unit/expr/ansible-oracle.test.ts
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import YAML from 'yaml';
import { FILTERS } from '../../../src/expr/filters.js';
import { TESTS } from '../../../src/expr/tests.js';
import { parseExpression, test as truth } from '../../../src/expr/index.js';
import { renderString, renderValue } from '../../../src/template/index.js';
import { ansibleAvailable, renderWithAnsible, type OracleResult } from '../../support/ansible-oracle.js';

const DIR = join(import.meta.dirname, '../../fixtures/ansible/expressions');
const RECORD = process.env['TSPLAY_RECORD_ANSIBLE'] === '1';

/**
 * One case: an expression inside {{ }} (its value), a template (its text) or a condition as `when:` takes it (its
 * truth), with what Ansible gave and, where we knowingly differ, what we give.
 */
interface Case {
  expr?: string;
  template?: string;
  cond?: string;
  /** A template rendered for its value, as a module argument is (text that spells a list, dict or boolean becomes it). */
  as_value?: string;
  /** Ansible's value of the expression (recorded). */
  value?: unknown;
  /** Ansible's text of the template (recorded). */
  text?: string;
  /** Ansible's truth of the condition (recorded). */
  truth?: boolean;
  /** Ansible fails on it (recorded). */
  error?: boolean;
  /** Where tsplay differs on purpose (docs/expressions.md says why): our value or text... */
  tsplay?: unknown;
  /** ...or our failure, with words its message must contain. */
  tsplay_error?: string;
  /** Why we differ. */
  differs?: string;
}

interface Fixture {
  file: string;
  doc: YAML.Document;
  vars: Record<string, unknown>;
  cases: Case[];
}

function load(): Fixture[] {
  return readdirSync(DIR)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((file) => {
      const doc = YAML.parseDocument(readFileSync(join(DIR, file), 'utf8'));
      const data = doc.toJS() as { vars?: Record<string, unknown>; cases: Case[] };
      return { file, doc, vars: data.vars ?? {}, cases: data.cases };
    });
}

/**
 * The template Ansible renders for a case, behind a prefix so that Ansible never re-types the result: the
 * expression's JSON, the template, or (as Ansible evaluates `when:`) the condition inside {% if %}.
 */
function ansibleTemplate(c: Case): string {
  if (c.expr !== undefined) return `J:{{ (${c.expr}) | to_json }}`;
  if (c.cond !== undefined) return `C:{% if ${c.cond} %}True{% else %}False{% endif %}`;
  if (c.as_value !== undefined) return c.as_value;
  return `T:${c.template ?? ''}`;
}

/** What Ansible's result means in fixture terms. */
function fromAnsible(c: Case, r: OracleResult): Pick<Case, 'value' | 'text' | 'truth' | 'error'> {
  if (r.failed) return { error: true };
  if (c.as_value !== undefined) return { value: r.msg };
  const msg = String(r.msg).slice(2);
  if (c.expr !== undefined) return { value: JSON.parse(msg) as unknown };
  if (c.cond !== undefined) return { truth: msg === 'True' };
  return { text: msg };
}

/** The recorded result of a case, in the shape fromAnsible gives. */
function recorded(c: Case): Pick<Case, 'value' | 'text' | 'truth' | 'error'> {
  if (c.error) return { error: true };
  if (c.expr !== undefined || c.as_value !== undefined) return { value: c.value };
  if (c.cond !== undefined) return { truth: c.truth };
  return { text: c.text };
}

/** What tsplay gives for a case: the expression's value through the template engine, the text, or the condition's truth. */
function ours(c: Case, vars: Record<string, unknown>): { result?: unknown; error?: string } {
  try {
    if (c.expr !== undefined)
      return { result: JSON.parse(JSON.stringify(renderValue(`{{ (${c.expr}) }}`, vars, {})) ?? 'null') as unknown };
    if (c.as_value !== undefined) return { result: renderValue(c.as_value, vars, {}) };
    if (c.cond !== undefined) {
      const { expr, problems } = parseExpression(c.cond);
      if (!expr) return { error: problems.map((p) => `${p.message}${p.hint ? ` (${p.hint})` : ''}`).join('; ') };
      return { result: truth(expr, vars) };
    }
    return { result: renderString(c.template ?? '', vars, {}) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

const label = (f: Fixture, c: Case): string => `${f.file}: ${c.expr ?? c.cond ?? c.template ?? c.as_value ?? ''}`;
const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

const fixtures = load();
const available = ansibleAvailable();

test('fixtures are well formed and cover every filter and test', () => {
  const used = new Set<string>();
  for (const f of fixtures) {
    for (const c of f.cases) {
      assert.equal(
        [c.expr, c.template, c.cond, c.as_value].filter((x) => x !== undefined).length,
        1,
        `${f.file}: a case has one of expr, template, cond, as_value`,
      );
      if (!RECORD)
        assert.ok(
          'value' in c || 'text' in c || 'truth' in c || c.error === true,
          `${label(f, c)}: not recorded (run with TSPLAY_RECORD_ANSIBLE=1)`,
        );
      if ('tsplay' in c || c.tsplay_error !== undefined) assert.ok(c.differs, `${label(f, c)}: a difference says why (differs:)`);
      for (const m of (c.expr ?? c.cond ?? c.template ?? c.as_value ?? '').matchAll(
        /\|\s*([a-z_0-9.]+)|\bis\s+(?:not\s+)?([a-z_0-9.]+)|(?:map|select|reject)\('([a-z_]+)'|attr\('\w+',\s*'([a-z_]+)'/g,
      )) {
        for (const n of m.slice(1)) if (n) used.add(n.replace(/^ansible\.builtin\./, ''));
      }
    }
  }
  // Filters and tests that ansible-core has no equivalent of are unit-tested instead.
  const notInCore = new Set(['ipwrap']);
  const missing = [...Object.keys(FILTERS), ...Object.keys(TESTS)].filter((n) => /^[a-z]/.test(n) && !used.has(n) && !notInCore.has(n));
  assert.deepEqual(missing, [], 'filters/tests without a fixture case');
});

test('tsplay gives what ansible-core gave (recorded)', { skip: RECORD }, () => {
  const failures: string[] = [];
  for (const f of fixtures) {
    for (const c of f.cases) {
      const got = ours(c, f.vars);
      const differs = 'tsplay' in c || c.tsplay_error !== undefined;
      if (c.tsplay_error !== undefined) {
        if (got.error === undefined || !got.error.includes(c.tsplay_error))
          failures.push(`${label(f, c)}\n   want an error with: ${c.tsplay_error}\n   got: ${JSON.stringify(got)}`);
        continue;
      }
      if (!differs && c.error) {
        if (got.error === undefined) failures.push(`${label(f, c)}\n   Ansible fails; tsplay gave ${JSON.stringify(got.result)}`);
        continue;
      }
      const want = differs ? c.tsplay : Object.values(recorded(c))[0];
      if (got.error !== undefined || !same(got.result, want))
        failures.push(`${label(f, c)}\n   want: ${JSON.stringify(want)}\n   got:  ${got.error ?? JSON.stringify(got.result)}`);
    }
  }
  assert.equal(failures.length, 0, `${failures.length} case(s) differ from Ansible:\n${failures.join('\n')}`);
});

test('ansible-core still gives what is recorded (its Templar, one process)', {
  skip: !available && !process.env['CI'] ? 'ansible-core is not installed (scripts/ensure-system.sh installs it)' : false,
}, () => {
  assert.ok(available, 'CI must have ansible-core (scripts/ensure-system.sh installs it)');
  const all = fixtures.flatMap((f) => f.cases.map((c, i) => ({ f, c, i })));
  // One play per fixture file (each has its own vars), all in one run.
  const results = renderWithAnsibleByFile(fixtures);
  const failures: string[] = [];
  all.forEach(({ f, c }, k) => {
    const r = results[k];
    if (!r) return;
    const got = fromAnsible(c, r);
    if (RECORD) {
      const node = f.doc.getIn(['cases', f.cases.indexOf(c)]) as YAML.YAMLMap;
      for (const key of ['value', 'text', 'truth', 'error']) node.delete(key);
      for (const [key, v] of Object.entries(got)) node.set(key, f.doc.createNode(v));
      return;
    }
    const want = recorded(c);
    if (!same(got, want))
      failures.push(
        `${label(f, c)}\n   recorded: ${JSON.stringify(want)}\n   ansible:  ${JSON.stringify(got)}${r.failed ? ` (${String(r.msg).slice(0, 200)})` : ''}`,
      );
  });
  if (RECORD) for (const f of fixtures) writeFileSync(join(DIR, f.file), f.doc.toString({ lineWidth: 0 }));
  assert.equal(
    failures.length,
    0,
    `${failures.length} case(s) where ansible-core no longer gives the recorded result:\n${failures.join('\n')}`,
  );
});

/** Runs every fixture's cases through Ansible in one playbook run; results in fixture/case order. */
function renderWithAnsibleByFile(fs: Fixture[]): OracleResult[] {
  return renderWithAnsible(fs.map((f) => ({ vars: f.vars, templates: f.cases.map(ansibleTemplate) }))).flat();
}
