/**
 * `index.html` of a results folder: one section per experiment with its interactive Vega-Lite figures
 * (specs embedded in the page), its claims table, its files and a link to its executed notebook.
 * It works offline: vega, vega-lite and vega-embed are copied from node_modules into `DIR/assets/`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type Verdict, verdict } from '../claims';
import type { Claim } from '../experiment';
import { readJson, writeFileAtomic } from '../io';
import { verdictCounts } from './claims-markdown';
import { figureSpecFile, referenceFolder } from './experiment-files';
import { type ExperimentSummary, type RunSummary, readSummary } from './summary';
import { sweepHtml } from './sweep';

/** Browser builds, loaded in this order (vega-embed's UMD build expects the globals `vega` and `vegaLite`). */
const BROWSER_LIBS: { pkg: string; file: string }[] = [
  { pkg: 'vega', file: 'build/vega.min.js' },
  { pkg: 'vega-lite', file: 'build/vega-lite.min.js' },
  { pkg: 'vega-embed', file: 'build/vega-embed.min.js' },
];

/** A file inside an installed package, found like Node finds packages: node_modules/<pkg> of this folder or a parent. */
function packageFile(pkg: string, file: string): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'node_modules', pkg);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return path.join(candidate, file);
    if (path.dirname(dir) === dir) throw new Error(`package ${pkg} is not installed (run: npm ci)`);
  }
}

/** Copies the browser builds into DIR/assets/ (once per version); returns their paths relative to DIR. */
export function copyAssets(dir: string): string[] {
  return BROWSER_LIBS.map(({ pkg, file }) => {
    const version = readJson<{ version: string }>(packageFile(pkg, 'package.json')).version;
    const name = `${pkg}-${version}.min.js`;
    const dest = path.join(dir, 'assets', name);
    if (!fs.existsSync(dest)) writeFileAtomic(dest, fs.readFileSync(packageFile(pkg, file)));
    return `assets/${name}`;
  });
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/** JSON safe inside <script>: no `</script>` or `<!--` can close it early. */
const scriptJson = (v: unknown) => JSON.stringify(v).replace(/</g, '\\u003c');
const href = (p: string) => p.split(path.sep).map(encodeURIComponent).join('/');

/** The table row's class per verdict (the report test reads it). */
export const VERDICT_CLASS: Record<Verdict, string> = { holds: 'holds', 'does not hold': 'fails', inconclusive: 'inconclusive' };

function claimsTable(claims: Claim[]): string {
  if (claims.length === 0) return '<p><em>No claims checked.</em></p>';
  const rows = claims.map(
    (c) =>
      `<tr class="${VERDICT_CLASS[verdict(c)]}"><td class="verdict">${verdict(c)}</td>` +
      `<td>${esc(c.claim)}<br><code>${esc(c.id)}</code></td><td>${esc(c.paper)}</td>` +
      `<td>${esc(c.measured)}${c.inconclusive ? `<br><em>inconclusive: ${esc(c.inconclusive)}</em>` : ''}</td></tr>`,
  );
  return `<table class="claims"><thead><tr><th>verdict</th><th>claim</th><th>the paper</th><th>measured</th></tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table>`;
}

/** The results folder as the user would type it here: relative to the working folder when inside it. */
function shownDir(dir: string): string {
  const rel = path.relative(process.cwd(), dir);
  return rel === '' ? '.' : rel.startsWith('..') || path.isAbsolute(rel) ? dir : rel;
}

function notebookLink(dir: string, scale: string, e: ExperimentSummary): string {
  const base = path.basename(e.notebook, '.ipynb');
  const exported = path.join('notebooks', `${base}.html`);
  if (fs.existsSync(path.join(dir, exported))) {
    return `<p class="notebook">Notebook: <a href="${href(exported)}">${esc(base)}</a> (exported to HTML with its outputs)</p>`;
  }
  return (
    `<p class="notebook">Notebook: <code>${esc(e.notebook)}</code> — run <code>npm run mnm -- notebooks --scale ${esc(scale)} --out ${esc(shownDir(dir))}</code> ` +
    'to add it here executed.</p>'
  );
}

/** One figure: the live Vega-Lite chart, its static SVG without script, and links to its files. `folder` is the experiment's. */
function figureHtml(dir: string, folder: string, fig: string, specs: { id: string; spec: unknown }[], figIndex: { n: number }): string {
  const id = `fig-${figIndex.n++}`;
  specs.push({ id, spec: readJson(figureSpecFile(dir, folder, fig)) });
  const files = ['svg', 'png', 'vl.json'].map((x) => `<a href="${href(path.join(folder, `${fig}.${x}`))}">${x}</a>`).join(' · ');
  return (
    `<figure><div class="vega" id="${id}" data-figure="${esc(`${folder}/${fig}`)}"></div>` +
    `<noscript><img src="${href(path.join(folder, `${fig}.svg`))}" alt="${esc(fig)}"></noscript>` +
    `<figcaption><code>${esc(fig)}</code> — ${files}</figcaption></figure>`
  );
}

/** The verdict and numbers of one claim, for a cell of the side-by-side table. */
function claimCell(c: Claim | undefined): string {
  if (!c) return '<td><em>not checked</em></td>';
  return (
    `<td class="${VERDICT_CLASS[verdict(c)]}"><span class="verdict">${verdict(c)}</span><br>${esc(c.measured)}` +
    `${c.inconclusive ? `<br><em>inconclusive: ${esc(c.inconclusive)}</em>` : ''}</td>`
  );
}

/** This run's claims beside the committed reference's, claim by claim, then the reference's figures. */
function referenceSection(
  dir: string,
  scale: string,
  e: ExperimentSummary,
  ref: NonNullable<ExperimentSummary['reference']>,
  specs: { id: string; spec: unknown }[],
  figIndex: { n: number },
): string {
  const ids = [...new Set([...e.claims.map((c) => c.id), ...ref.claims.map((c) => c.id)])];
  const rows = ids.map((id) => {
    const own = e.claims.find((c) => c.id === id);
    const other = ref.claims.find((c) => c.id === id);
    return `<tr><td>${esc((own ?? other)?.claim ?? id)}<br><code>${esc(id)}</code></td>${claimCell(own)}${claimCell(other)}</tr>`;
  });
  const folder = referenceFolder(e.id);
  return [
    `<h3>Side by side: this run and the reference</h3>`,
    `<p class="meta">Reference: ${esc(ref.label)}.</p>`,
    `<table class="claims side-by-side"><thead><tr><th>claim</th><th>this run (${esc(scale)})</th><th>reference (${esc(ref.scale)})</th></tr></thead>`,
    `<tbody>\n${rows.join('\n')}\n</tbody></table>`,
    `<details><summary>The reference's figures (${esc(ref.scale)} scale, ${ref.seeds.length} seeds)</summary>`,
    ...ref.figures.map((fig) => figureHtml(dir, folder, fig, specs, figIndex)),
    '</details>',
  ].join('\n');
}

function section(
  dir: string,
  scale: string,
  e: ExperimentSummary,
  specs: { id: string; spec: unknown }[],
  figIndex: { n: number },
): string {
  const parts = [
    `<section id="${esc(e.id)}">`,
    `<h2>${esc(e.title)} <small>${esc(e.paper)} · <code>${esc(e.id)}</code></small></h2>`,
    `<p>${esc(e.reproduces)}</p>`,
    `<p class="meta">${e.seeds.length} seed${e.seeds.length === 1 ? '' : 's'}` +
      (e.missingSeeds.length ? ` (${e.error ? 'not done' : 'missing'}: ${e.missingSeeds.join(', ')})` : '') +
      '</p>',
    notebookLink(dir, scale, e),
  ];
  if (e.error) {
    parts.push(`<p class="error"><strong>Did not finish:</strong> ${esc(e.error.split('\n')[0])}</p></section>`);
    return parts.join('\n');
  }
  for (const fig of e.figures) parts.push(figureHtml(dir, e.id, fig, specs, figIndex));
  parts.push('<h3>Claims</h3>', claimsTable(e.claims));
  if (e.reference) parts.push(referenceSection(dir, scale, e, e.reference, specs, figIndex));
  if (e.tables.length) {
    parts.push(
      `<p class="files">Tidy data (Parquet): ${e.tables.map((t) => `<a href="${href(path.join(e.id, `${t}.parquet`))}">${esc(t)}</a>`).join(' · ')}</p>`,
    );
  }
  parts.push('</section>');
  return parts.join('\n');
}

/** Every notebook exported into this folder by `mnm notebooks` (the tour and others not tied to one experiment too). */
function notebooksSection(dir: string): string {
  const nbDir = path.join(dir, 'notebooks');
  const exported = fs.existsSync(nbDir)
    ? fs
        .readdirSync(nbDir)
        .filter((f) => f.endsWith('.html'))
        .sort()
    : [];
  if (exported.length === 0) return '';
  const items = exported.map((f) => `<li><a href="${href(path.join('notebooks', f))}">${esc(path.basename(f, '.html'))}</a></li>`);
  return `<section id="notebooks"><h2>Notebooks</h2><p>Exported to HTML with their outputs (figures included, no kernel needed); each page says the scale it was executed at.</p>\n<ul>\n${items.join('\n')}\n</ul></section>`;
}

const STYLE = `
body { font: 15px/1.5 system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 2em; color: #222; }
h1 { margin-bottom: 0.2em; } h2 small { font-weight: normal; color: #666; font-size: 0.6em; }
section { border-top: 1px solid #ddd; margin-top: 2em; }
nav ul { columns: 2; } figure { margin: 1em 0; max-width: 100%; overflow-x: auto; } figcaption { color: #666; font-size: 0.85em; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; } th, td { border: 1px solid #ddd; padding: 4px 8px; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
tr.holds .verdict, td.verdict.holds { color: #176f2c; font-weight: bold; } tr.fails .verdict, td.verdict.fails { color: #b00020; font-weight: bold; } tr.inconclusive .verdict, td.verdict.inconclusive { color: #6b6b6b; font-weight: bold; }
/* a verdict is one word: never broken inside (overflow-wrap: anywhere above would split it) */
.verdict { overflow-wrap: normal; white-space: nowrap; }
.error { color: #b00020; } .meta, .files, .notebook { color: #444; font-size: 0.9em; margin: 0.2em 0; }
`;

/** Writes DIR/index.html (and DIR/assets/) from the folder's run.json and figure specs. */
export function writeReportHtml(dir: string): string {
  const s: RunSummary = readSummary(dir);
  const scripts = copyAssets(dir);
  const specs: { id: string; spec: unknown }[] = [];
  const figIndex = { n: 0 };
  const sections = s.experiments.map((e) => section(dir, s.scale, e, specs, figIndex));
  const n = verdictCounts(s);
  const nav = s.experiments.map((e) => {
    const held = e.claims.filter((c) => verdict(c) === 'holds').length;
    const status = e.error ? 'did not finish' : `${held}/${e.claims.length} claims hold`;
    return `<li><a href="#${esc(e.id)}">${esc(e.title)}</a> — ${status}</li>`;
  });
  const html =
    `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>MnM workbench report (${esc(s.scale)})</title>
<style>${STYLE}</style>
${scripts.map((src) => `<script src="${src}"></script>`).join('\n')}
</head><body>
<h1>Mismatched No More: reproduction report</h1>
<p>Scale <code>${esc(s.scale)}</code>. ${n.total} claims checked: <strong>${n.hold} hold</strong>, <strong>${n.fail} do not</strong>${n.inconclusive ? `, ${n.inconclusive} inconclusive` : ''}` +
    `${n.failedExperiments ? `; ${n.failedExperiments} experiment(s) did not finish` : ''}. Measured values are mean ± standard deviation over seeds unless stated.
Also in this folder: <a href="claims.md">claims.md</a>, <a href="claims.json">claims.json</a>, per-experiment Parquet tables and SVG/PNG figures,
and <a href="playground.html">the playground</a>: the tabular experiments live in the browser, with sliders.</p>
${s.experiments.length ? `<nav><ul>\n${nav.join('\n')}\n</ul></nav>` : '<p><em>No experiments were run.</em></p>'}
${sweepHtml(s, esc, VERDICT_CLASS)}
${sections.join('\n')}
${notebooksSection(dir)}
<script type="application/json" id="figure-specs">${scriptJson(specs)}</script>
<script>
(function () {
  var specs = JSON.parse(document.getElementById('figure-specs').textContent);
  specs.forEach(function (f) {
    var el = document.getElementById(f.id);
    vegaEmbed(el, f.spec, { renderer: 'svg', actions: { export: true, source: false, compiled: false, editor: false } })
      .then(function () { el.setAttribute('data-rendered', 'true'); })
      .catch(function (err) { el.textContent = 'figure failed to render: ' + err; console.error('figure ' + f.id + ': ' + err); });
  });
})();
</script>
</body></html>
`;
  const file = path.join(dir, 'index.html');
  writeFileAtomic(file, html);
  return file;
}
