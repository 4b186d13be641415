/**
 * The HTML report, opened for real: headless Chromium loads index.html of a fixture run from disk,
 * with every non-file request blocked (the report must work offline), and we check that each figure
 * rendered, the claims tables are there, and nothing was logged as an error. A screenshot goes to
 * test/.out/report.png.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Verdict } from '../../lib/claims';
import { VERDICT_CLASS } from '../../lib/report/html';
import type { Browser } from 'playwright-core';
import { runFixtures } from '../cli/helpers';
import { haveChromium, launchChromium, offline } from './browser';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', '.out');
let dir = '';
let browser: Browser | undefined;

before(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-report-'));
  const r = await runFixtures(dir, ['--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
});

after(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('index.html renders every figure offline in Chromium, with no console error', async () => {
  assert.ok(haveChromium(), 'no /usr/bin/chromium: run  bash scripts/setup.sh --browser  (scripts/test.sh does)');
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const { problems, external } = await offline(page);
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);

  const expected = ['fx-coin/running', 'fx-slow/histogram'];
  const figures = page.locator('div.vega');
  assert.deepEqual(await figures.evaluateAll((els) => els.map((e) => e.getAttribute('data-figure'))), expected);
  // A string expression: it runs in the page (this file is type-checked without the DOM library).
  await page
    .waitForFunction(`document.querySelectorAll('div.vega[data-rendered="true"]').length === ${expected.length}`, undefined, {
      timeout: 15000,
    })
    .catch(() => undefined); // the assertions below say what is missing
  for (const fig of expected) {
    const el = page.locator(`div.vega[data-figure="${fig}"]`);
    assert.equal(await el.getAttribute('data-rendered'), 'true', `figure ${fig} did not render`);
    // vega-embed draws into an <svg> (renderer svg) with marks inside: count the drawn marks.
    const marks = await el.locator('svg .mark-line path, svg .mark-rect path').count();
    assert.ok(marks > 0, `figure ${fig} has an svg but no marks`);
  }
  // Each experiment's claims table, with the verdicts of claims.json.
  const claims = JSON.parse(fs.readFileSync(path.join(dir, 'claims.json'), 'utf8')) as { id: string; verdict: Verdict }[];
  const rows = await page
    .locator('table.claims tbody tr')
    .evaluateAll((trs) => trs.map((tr) => ({ cls: tr.className, text: tr.textContent ?? '' })));
  assert.equal(rows.length, claims.length);
  for (const c of claims) {
    const row = rows.find((r) => r.text.includes(c.id));
    assert.ok(row, `claim ${c.id} missing from the report`);
    assert.equal(row.cls, VERDICT_CLASS[c.verdict], `claim ${c.id} shows the wrong verdict`);
  }
  // The playground is written beside the report and linked from it (test/playground opens it).
  assert.equal(await page.locator('a[href="playground.html"]').count(), 1, 'the report does not link to the playground');
  assert.ok(fs.existsSync(path.join(dir, 'playground.html')), 'no playground.html beside the report');
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'report.png'), fullPage: true });
  assert.deepEqual(external, [], 'the report tried to reach the network');
  assert.deepEqual(problems, []);
});
