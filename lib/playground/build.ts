/**
 * Builds `playground.html`: the page (page.ts) and its worker (worker.ts) bundled from lib/ by esbuild for
 * the browser, the maps of data/, the engine (lib/engine/build/engine.wasm in base64, for the deep panel) and the
 * notebook links put in the page, vega, vega-lite and vega-embed beside it in `assets/` (the report's copies). It works from file:// with no server and no network: the
 * worker's code sits in the page and starts from a Blob URL (Chromium refuses `new Worker('file.js')` there).
 *
 *   npm run playground -- [--out DIR]     (default results/quick; `npm start` writes it next to the report)
 */
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../io';
import { copyAssets } from '../report/html';
import { ENGINE_REBUILD, ENGINE_WASM } from '../engine/engine';

const ROOT = path.resolve(__dirname, '..', '..');

/** The notebook each panel links to. */
const NOTEBOOKS: Record<string, string> = {
  risk: '03-risk-mdp',
  bound: '04-lower-bound',
  optimism: '01-gridworld-optimism',
  learning: '01-gridworld-optimism',
  capacity: '02-capacity-limited',
  deep: '07-deep-comparison',
};

/** One browser bundle (an IIFE script) of a TypeScript entry; fails if it would need a Node module. */
function bundle(entry: string, define: Record<string, string> = {}): string {
  let out: esbuild.BuildResult & { outputFiles: esbuild.OutputFile[] };
  try {
    out = esbuild.buildSync({
      entryPoints: [path.join(__dirname, entry)],
      bundle: true,
      write: false,
      format: 'iife',
      platform: 'browser',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
      define,
    });
  } catch (err) {
    // One line naming the entry and the first problem (e.g. a Node module imported by a browser-side file).
    const first = (err as { errors?: esbuild.Message[] }).errors?.[0];
    const where = first?.location ? ` (${first.location.file}:${first.location.line}:${first.location.column + 1})` : '';
    throw new Error(`cannot bundle lib/playground/${entry} for the browser: ${first ? first.text + where : String(err)}`);
  }
  return out.outputFiles[0].text;
}

/**
 * The engine for the deep panel's worker, in base64 (a file:// page cannot fetch it): the plain SIMD build, which
 * every browser with WebAssembly SIMD takes (relaxed SIMD is newer).
 */
function engineBase64(): string {
  try {
    return fs.readFileSync(ENGINE_WASM).toString('base64');
  } catch (err) {
    throw new Error(
      `cannot read ${ENGINE_WASM} (${(err as NodeJS.ErrnoException).code}) for the deep panel; build it with ${ENGINE_REBUILD}`,
    );
  }
}

/** Text safe inside a <script> element (nothing in it can close the element). */
const inScript = (s: string) => s.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

function mapsOf(dataDir: string): Record<string, string> {
  const maps: Record<string, string> = {};
  for (const f of fs.readdirSync(dataDir).sort()) {
    if (f.endsWith('.txt')) maps[f.slice(0, -'.txt'.length)] = fs.readFileSync(path.join(dataDir, f), 'utf8');
  }
  return maps;
}

/** Writes DIR/playground.html (and DIR/assets/); returns its path. */
export function writePlayground(dir: string): string {
  const scripts = copyAssets(dir);
  const notebooks: Record<string, { name: string; href: string | null }> = {};
  for (const [panel, name] of Object.entries(NOTEBOOKS)) {
    const exported = path.join('notebooks', `${name}.html`);
    notebooks[panel] = { name, href: fs.existsSync(path.join(dir, exported)) ? exported : null };
  }
  const data = { maps: mapsOf(path.join(ROOT, 'data')), notebooks };
  const css = fs.readFileSync(path.join(__dirname, 'style.css'), 'utf8');
  const report = fs.existsSync(path.join(dir, 'index.html')) ? ' · <a href="index.html">the report</a>' : '';
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MnM playground</title>
<style>${css}</style>
${scripts.map((src) => `<script src="${src}"></script>`).join('\n')}
</head><body>
<header><h1>Mismatched No More: a playground</h1>
<p>The tabular experiments of the paper, and SAC learning Pendulum on the workbench’s WebAssembly engine, computed live in this page by the workbench’s own library (no server, no network, nothing installed).
Settings are kept in the address, so a link shares them${report}.</p></header>
<main id="app"></main>
<script type="text/plain" id="worker-code">${inScript(bundle('worker.ts', { ENGINE_WASM_BASE64: JSON.stringify(engineBase64()) }))}</script>
<script>var PLAYGROUND = ${inScript(JSON.stringify(data))};</script>
<script>${inScript(bundle('page.ts'))}</script>
</body></html>
`;
  const file = path.join(dir, 'playground.html');
  writeFileAtomic(file, html);
  return file;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const i = args.indexOf('--out');
  if (args.some((a, k) => a !== '--out' && k !== i + 1) || (i >= 0 && !args[i + 1])) {
    process.stderr.write('usage: npm run playground -- [--out DIR]\n');
    process.exit(2);
  }
  const dir = i >= 0 ? args[i + 1] : path.join('results', 'quick');
  try {
    process.stdout.write(`${writePlayground(dir)}\n`);
  } catch (err) {
    process.stderr.write(`playground: ${(err as Error).message.split('\n')[0]}\n`);
    process.exit(1);
  }
}
