import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { tsplay } from '../support/cli.js';

// Issue 18 item 6: `tsplay report JOURNAL` writes a self-contained HTML page (and Markdown) that headless Chromium
// (Debian's chromium, installed by `npm test`'s pretest when missing) opens and reads back. Local hosts only: ~15 s.
const CHROMIUM = '/usr/bin/chromium';
let dir: string;
let browser: BrowserContext;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tsplay-report-'));
  assert.ok(existsSync(CHROMIUM), 'Debian chromium is missing: npm test installs it (bash scripts/ensure-system.sh chromium)');
  // a fresh profile (the --user-data-dir) every time
  browser = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'tsplay-chromium-')), {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
});

after(async () => {
  await browser?.close();
});

test('tsplay report: the run record of a stopped and resumed run, read back in headless Chromium', async () => {
  const out = mkdtempSync(join(dir, 'out-'));
  const pb = join(dir, 'window.yaml');
  writeFileSync(
    pb,
    `- name: maintenance
  hosts: all
  tasks:
    - name: prepare
      shell: sleep 1.2 && echo prepared > {{q out}}/{{inventory_hostname}}
    - name: swap the data dir
      critical: true
      duration: 1s
      block:
        - name: keep the old data dir
          shell: echo /var/lib/etcd.tsplay-20250101T010203 kept; echo {{q db_password}} > /dev/null
          register: kept
        - name: write the new one
          command: touch {{q out}}/new-{{inventory_hostname}}
    - name: check
      command: test -e {{q out}}/new-{{inventory_hostname}}
      changed_when: false
`,
  );
  const journal = join(dir, 'window.jsonl');
  const first = await tsplay([
    'run',
    pb,
    '-i',
    'a,b,',
    '-e',
    `ansible_connection=local out=${out} db_password=MARKER-pw-5521`,
    '--max-duration',
    '1s',
    '--journal',
    journal,
  ]);
  assert.equal(first.code, 99, first.stderr);
  const resumed = await tsplay(['resume', journal, '-e', 'db_password=MARKER-pw-5521']);
  assert.equal(resumed.code, 0, resumed.stderr);

  const r = await tsplay(['report', journal]);
  assert.equal(r.code, 0, r.stderr);
  const html = join(dir, 'window.html');
  const md = join(dir, 'window.md');
  assert.equal(r.stdout, `${html}\n${md}\n`);
  for (const f of [html, md]) assert.ok(!readFileSync(f, 'utf8').includes('MARKER'), `a secret leaked into ${f}`);

  const page = await browser.newPage();
  const requests: string[] = [];
  page.on('request', (req) => requests.push(req.url()));
  await page.goto(`file://${html}`);
  assert.deepEqual(requests, [`file://${html}`], 'the page is self-contained (no other resource is loaded)');
  assert.equal(await page.title(), 'tsplay run record: window.yaml');
  assert.equal(await page.getAttribute('#outcome', 'data-outcome'), 'complete');
  assert.match(await page.innerText('#outcome'), /^Complete: every play ran to its end/);
  const sections = await page.$$eval('#sections tbody tr', (rows) =>
    rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  );
  assert.equal(sections.length, 1);
  assert.equal(sections[0]?.[0], 'swap the data dir');
  assert.match(sections[0]?.[2] ?? '', /^\d+ ms$|^\d+\.\d s$/, 'the downtime of the section');
  assert.equal(sections[0]?.[4], 'done');
  const changes = await page.$$eval('#changes tbody tr', (rows) =>
    rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')),
  );
  assert.deepEqual(changes.map((c) => `${c[0]} ${c[1]}`).sort(), [
    'a keep the old data dir',
    'a prepare',
    'a write the new one',
    'b keep the old data dir',
    'b prepare',
    'b write the new one',
  ]);
  assert.ok(
    changes.some((c) => /^touch .*new-a$/.test(c[2] ?? '')),
    'the commands are shown',
  );
  assert.deepEqual(await page.$$eval('#kept li', (li) => li.map((x) => x.textContent)), [
    'a: /var/lib/etcd.tsplay-20250101T010203',
    'b: /var/lib/etcd.tsplay-20250101T010203',
  ]);
  assert.equal(await page.locator('table.timeline').count(), 2, 'the first run and its resume');
  const text = await page.innerText('body');
  assert.match(text, /stopped: deadline .* reached/);
  assert.ok(!text.includes('MARKER'));
  await page.screenshot({ path: join(dir, 'report.png'), fullPage: true });
  await page.close();
  assert.match(
    readFileSync(md, 'utf8'),
    /## Critical sections\n\n\| Section \| Started \| Took \(downtime\) \| Declared \| Outcome \|\n\| --- \| --- \| --- \| --- \| --- \|\n\| swap the data dir \|/,
  );
});

test('tsplay report of something that is not a journal says so (exit 5)', async () => {
  const bad = join(dir, 'bad.jsonl');
  writeFileSync(bad, '{"type":"play-start"}\n');
  const r = await tsplay(['report', bad]);
  assert.equal(r.code, 5);
  assert.match(r.stderr, /no run-start event: not a tsplay journal/);
  const missing = await tsplay(['report', join(dir, 'nope.jsonl')]);
  assert.equal(missing.code, 5);
  assert.match(missing.stderr, /^tsplay report: journal \S*nope\.jsonl does not exist$/m);
});
