/** The playground built into a fresh folder and opened in headless Chromium with nothing fetched from the network. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { writePlayground } from '../../lib/playground/build';
import { haveChromium, launchChromium, offline } from '../report/browser';

export interface PlaygroundPage {
  dir: string;
  /** The built page's file URL. */
  url: string;
  browser: Browser;
  page: Page;
  /** Console errors, page errors and missing files, as they come (lib: test/report/browser.ts offline). */
  problems: string[];
  /** The network addresses the page asked for (all blocked). */
  external: string[];
  /** Closes the browser and removes the folder. */
  close: () => Promise<void>;
}

export async function openPlayground(prefix: string): Promise<PlaygroundPage> {
  assert.ok(haveChromium(), 'no /usr/bin/chromium: run  bash scripts/setup.sh --browser  (scripts/test.sh does)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const url = pathToFileURL(writePlayground(dir)).href;
  const browser = await launchChromium();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const { problems, external } = await offline(page);
  const close = async () => {
    await browser.close();
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, url, browser, page, problems, external, close };
}
