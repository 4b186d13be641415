/**
 * The report fits the window: the real E1–E4 (smoke scale: E2 has the widest figure, the paths of every method)
 * opened in headless Chromium at 1,280 px, whose page must not scroll sideways; and E3's explorer answers its
 * sliders. Screenshot: test/.out/report-1280.png.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { haveChromium, launchChromium, offline } from './browser';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', '.out');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-width-'));
let browser: Browser | undefined;

after(async () => {
  await browser?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the report of E1–E4 is no wider than a 1,280 px window, every figure drawn', async () => {
  assert.ok(haveChromium(), 'no /usr/bin/chromium: run  bash scripts/setup.sh --browser  (scripts/test.sh does)');
  const experiments = ['e1-gridworld-optimism', 'e2-capacity-limited', 'e3-risk-mdp', 'e4-bound-along-vi'];
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', path.join(ROOT, 'lib/cli/main.ts'), 'run', ...experiments, '--scale', 'smoke', '--out', dir],
    { cwd: ROOT, encoding: 'utf8', env: { ...process.env, MNM_RUN_CACHE: 'off' } },
  );
  assert.equal(run.status, 0, run.stderr);
  browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { problems } = await offline(page);
  await page.goto(pathToFileURL(path.join(dir, 'index.html')).href);
  const count = await page.locator('div.vega').count();
  assert.ok(count >= 6, `only ${count} figures in the report`);
  await page
    .waitForFunction(`document.querySelectorAll('div.vega[data-rendered="true"]').length === ${count}`, undefined, { timeout: 60000 })
    .catch(() => undefined);
  assert.equal(await page.locator('div.vega[data-rendered="true"]').count(), count, 'some figures did not render');
  const width = (await page.evaluate('document.documentElement.scrollWidth')) as number;
  fs.mkdirSync(OUT, { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'report-1280.png'), fullPage: true });
  assert.ok(width <= 1280, `the page is ${width} px wide in a 1,280 px window`);

  // The risk-MDP explorer: moving the wind slider moves the ring and changes the bars.
  const explorer = page.locator('div.vega[data-figure="e3-risk-mdp/explorer"]');
  const sliders = explorer.locator('input[type="range"]');
  assert.equal(await sliders.count(), 3, 'the explorer has no wind, reward and γ sliders');
  const before = await explorer.locator('svg.marks').innerHTML();
  await sliders.first().fill('0.1');
  await page.waitForTimeout(300);
  assert.notEqual(await explorer.locator('svg.marks').innerHTML(), before, 'the explorer did not follow its wind slider');
  assert.deepEqual(problems, []);
});
