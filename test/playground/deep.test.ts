/**
 * The playground's deep panel, opened for real: headless Chromium loads playground.html from disk (every non-file
 * request blocked) and SAC learns Pendulum in the page's worker on the embedded WebAssembly engine. Pass: with a fixed
 * seed, the streamed mean return of the latest 5 episodes after 4,000 env steps is at least MARGIN above that of the
 * first 5 episodes (1,000 random steps). A control run with the updates switched off (0 per step; the same steps)
 * must stay below that margin, so the margin is not met without learning. Env steps are counted, not time; the
 * wall time is measured and written to test/.out/playground-deep-measured.json (not a pass/fail threshold).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { type DeepPoint, engineFromBase64, MEAN_OF, runDeepSac } from '../../lib/playground/deep';
import { openPlayground, type PlaygroundPage } from './page';

const ROOT = path.resolve(__dirname, '..', '..');
const OUT = path.join(ROOT, 'test', '.out');
const STEPS = 4000;
/** How far the mean return must rise (random play scores about −1300, a learned policy about −200). */
const MARGIN = 600;
let opened: PlaygroundPage | undefined;
let url = '';
let page: Page;
let problems: string[] = [];
let external: string[] = [];
const measured: Record<string, unknown> = {};

before(async () => {
  opened = await openPlayground('mnm-playground-deep-');
  ({ url, page, problems, external } = opened);
  fs.mkdirSync(OUT, { recursive: true });
});

after(async () => {
  await opened?.close();
  fs.writeFileSync(path.join(OUT, 'playground-deep-measured.json'), JSON.stringify(measured, null, 2) + '\n');
});

/** Loads the page afresh with `hash` (a hash change alone would keep the open page and its fields). */
async function open(hash: string): Promise<void> {
  await page.goto('about:blank');
  await page.goto(`${url}#${hash}`);
  await page.locator('#app[data-ready="true"]').waitFor();
}

/** Opens the page with the deep panel's settings in the address, runs it to the end and returns the streamed points. */
async function run(settings: { seed: number; updates: number; steps: number; hidden: number }): Promise<DeepPoint[]> {
  const hash = `deep.seed=${settings.seed}&deep.updates=${settings.updates}&deep.steps=${settings.steps}&deep.hidden=${settings.hidden}`;
  await open(hash);
  const t0 = Date.now();
  await page.locator('#deep-run').click();
  await page.locator('#deep-chart[data-done="true"]').waitFor({ timeout: 180_000 });
  measured[`seed ${settings.seed}, ${settings.updates} updates per step`] = {
    seconds: (Date.now() - t0) / 1000,
    status: await page.locator('#deep-status').textContent(),
  };
  return JSON.parse((await page.locator('#deep-chart').getAttribute('data-curve')) ?? '[]') as DeepPoint[];
}

/** Mean return of the first MEAN_OF episodes, and the streamed mean at the end. */
function rise(points: DeepPoint[]): { first: number; last: number } {
  assert.ok(points.length >= 2 * MEAN_OF, `only ${points.length} episodes streamed`);
  return { first: points[MEAN_OF - 1].mean, last: points[points.length - 1].mean };
}

test('SAC learns Pendulum in the page: the streamed mean return rises by the margin within 4,000 env steps', async () => {
  const points = await run({ seed: 1, updates: 3, steps: STEPS, hidden: 64 });
  assert.equal(points[points.length - 1].envSteps, STEPS);
  assert.equal(points.length, STEPS / 200);
  assert.ok(points[points.length - 1].updates > 0);
  const { first, last } = rise(points);
  measured.learned = { first, last, points };
  assert.ok(last - first >= MARGIN, `mean return ${first.toFixed(0)} → ${last.toFixed(0)}: rose by less than ${MARGIN}`);
  await page.locator('#deep').screenshot({ path: path.join(OUT, 'playground-deep.png') });
  assert.deepEqual(problems, []);
  assert.deepEqual(external, []);
});

test('with the updates switched off the same run does not reach the margin (the control)', async () => {
  const points = await run({ seed: 1, updates: 0, steps: STEPS, hidden: 64 });
  assert.equal(points[points.length - 1].updates, 0);
  const { first, last } = rise(points);
  measured.control = { first, last };
  assert.ok(last - first < MARGIN, `without updates the mean return rose from ${first.toFixed(0)} to ${last.toFixed(0)}`);
});

test('Stop ends the run in the worker: no episode arrives after it', async () => {
  await open('deep.seed=2&deep.updates=3&deep.steps=100000&deep.hidden=64');
  await page.locator('#deep-run').click();
  await page.waitForFunction(() => JSON.parse(document.getElementById('deep-chart')?.getAttribute('data-curve') ?? '[]').length >= 1);
  await page.locator('#deep-stop').click();
  const n = JSON.parse((await page.locator('#deep-chart').getAttribute('data-curve')) ?? '[]').length;
  assert.match((await page.locator('#deep-status').textContent()) ?? '', /^Stopped after \d+ episodes\.$/);
  assert.equal(await page.locator('#deep-run').isDisabled(), false);
  // Random actions fill an episode in well under a second; a worker still running would have streamed more.
  await page.waitForTimeout(1500);
  assert.equal(JSON.parse((await page.locator('#deep-chart').getAttribute('data-curve')) ?? '[]').length, n);
});

test('a bad size and a broken engine are refused with one line naming them', () => {
  assert.throws(
    () => runDeepSac({ seed: 1, hidden: 64, updatesPerStep: 3, envSteps: 50 }, engineFromBase64(''), () => {}),
    /engine: the playground's embedded engine\.wasm is not a loadable WebAssembly module/,
  );
  assert.throws(
    () => engineFromBase64(Buffer.from('not wasm').toString('base64')),
    /engine: the playground's embedded engine\.wasm is not a loadable WebAssembly module \(.+\); this browser may lack WebAssembly SIMD/,
  );
  const module = engineFromBase64(fs.readFileSync(path.join(ROOT, 'lib', 'engine', 'build', 'engine.wasm')).toString('base64'));
  assert.throws(
    () => runDeepSac({ seed: 1, hidden: 64, updatesPerStep: 3, envSteps: 50 }, module, () => {}),
    /deep panel: envSteps must be a whole number in \[200, 1000000\], got 50/,
  );
});
