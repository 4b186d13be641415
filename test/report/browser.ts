/** Debian's Chromium driven by playwright-core, headless, with nothing fetched from the network. */
import * as fs from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export function haveChromium(): boolean {
  return fs.existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/**
 * Blocks every request that is not a local file (or a Blob URL the page made) and records what went wrong:
 * console errors, page errors, missing files (`problems`) and the blocked addresses (`external`).
 */
export async function offline(page: Page): Promise<{ problems: string[]; external: string[] }> {
  const problems: string[] = [];
  const external: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console.error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    if (r.url().startsWith('file:')) problems.push(`missing file: ${r.url()}`);
  });
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:') || url.startsWith('blob:')) return route.continue();
    external.push(url);
    return route.abort();
  });
  return { problems, external };
}
