/**
 * A notebook as one standalone HTML page, rendered from its JSON without Jupyter or a kernel: markdown through
 * `marked`, LaTeX (`$…$`, `$$…$$`) through KaTeX as HTML with MathML beside it for screen readers (MathML alone
 * draws `\mathbb{E}` as an italic E and runs `\log r` together), its CSS and fonts copied next to the pages so
 * they work offline, code cells with their outputs. An output shows its richest static form: SVG inline, then PNG, HTML (the
 * tables), markdown (the generated prose), plain text. The live Vega-Lite spec is not used: the SVG beside it
 * is the same figure.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import katex from 'katex';
import { Marked, type TokenizerAndRendererExtension } from 'marked';
import { writeFileAtomic } from '../io';
import { type Notebook, type Output, joinLines, readNotebook } from './format';

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const tex = (src: string, displayMode: boolean) => katex.renderToString(src, { displayMode, output: 'htmlAndMathml', throwOnError: false });

const mathExtensions: TokenizerAndRendererExtension[] = [
  {
    name: 'mathBlock',
    level: 'block',
    start: (src) => src.match(/^ {0,3}\$\$/m)?.index,
    tokenizer(src) {
      const m = /^ {0,3}\$\$([\s\S]+?)\$\$[ \t]*(?:\n|$)/.exec(src);
      if (m) return { type: 'mathBlock', raw: m[0], text: m[1].trim() };
      return undefined;
    },
    renderer: (token) => `<div class="math">${tex(String(token.text), true)}</div>\n`,
  },
  {
    name: 'mathInline',
    level: 'inline',
    start: (src) => (src.indexOf('$') >= 0 ? src.indexOf('$') : undefined),
    tokenizer(src) {
      const display = /^\$\$([\s\S]+?)\$\$/.exec(src);
      if (display) return { type: 'mathInline', raw: display[0], text: display[1].trim(), display: true };
      // $…$ with no space just inside the dollars and no digit right after the closing one ("$5 and $6" is money).
      const inline = /^\$(?!\s)((?:\\.|[^\\$\n])+?)(?<!\s)\$(?!\d)/.exec(src);
      if (inline) return { type: 'mathInline', raw: inline[0], text: inline[1], display: false };
      return undefined;
    },
    renderer: (token) => tex(String(token.text), token.display === true),
  },
];

const marked = new Marked({ gfm: true, extensions: mathExtensions });

/** Markdown (with LaTeX) to HTML. */
export function markdownToHtml(md: string): string {
  return marked.parse(md, { async: false });
}

let svgCount = 0;
/** Inline SVGs share one page: prefix their ids (vega names clip paths "clip1" in every figure) so none clash. */
function inlineSvg(svg: string): string {
  const p = `svg${++svgCount}-`;
  return svg
    .replace(/<\?xml[^>]*>/, '')
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${p}${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${p}${id})`)
    .replace(/(xlink:href|href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${p}${id}"`);
}

const ANSI = /\u001b\[[0-9;]*m/g;

function outputHtml(o: Output): string {
  if (o.output_type === 'stream') return `<pre class="stream ${o.name}">${esc(joinLines(o.text))}</pre>`;
  if (o.output_type === 'error') {
    const tb = o.traceback.length ? o.traceback.join('\n') : `${o.ename}: ${o.evalue}`;
    return `<pre class="error">${esc(tb.replace(ANSI, ''))}</pre>`;
  }
  const text = (mime: string) => {
    const v = o.data[mime];
    return typeof v === 'string' || Array.isArray(v) ? joinLines(v as string | string[]) : null;
  };
  const svg = text('image/svg+xml');
  if (svg !== null) return `<div class="figure">${inlineSvg(svg)}</div>`;
  const png = text('image/png');
  if (png !== null) return `<div class="figure"><img src="data:image/png;base64,${png.replace(/\s/g, '')}" alt=""></div>`;
  const html = text('text/html');
  if (html !== null) return `<div class="html">${html}</div>`;
  const md = text('text/markdown');
  if (md !== null) return `<div class="markdown">${markdownToHtml(md)}</div>`;
  const plain = text('text/plain');
  return plain !== null ? `<pre class="plain">${esc(plain)}</pre>` : '';
}

const STYLE = `
body { font: 15px/1.55 system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 0 auto; max-width: 1100px; padding: 1em 2em; color: #222; }
.note { color: #555; font-size: 0.9em; border-bottom: 1px solid #ddd; padding-bottom: 0.5em; }
.cell { margin: 0.8em 0; }
.code .source { background: #f6f8fa; border: 1px solid #e1e4e8; border-radius: 4px; padding: 0.5em 0.8em; overflow-x: auto; margin: 0; }
.prompt { color: #888; font: 0.8em monospace; }
.outputs { margin: 0.3em 0 0 0; padding-left: 0.8em; border-left: 3px solid #e1e4e8; }
pre { font: 13px/1.4 ui-monospace, "DejaVu Sans Mono", monospace; white-space: pre-wrap; }
pre.stderr, pre.error { color: #b00020; }
.figure svg, .figure img { max-width: 100%; height: auto; }
table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.9em; display: block; overflow-x: auto; }
th, td { border: 1px solid #ddd; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
.math { overflow-x: auto; margin: 0.6em 0; }
`;

/** The page for `nb`; `note` is a line shown under the title (where the outputs come from). */
export function notebookToHtml(nb: Notebook, title: string, note: string): string {
  svgCount = 0;
  const cells = nb.cells.map((cell) => {
    const source = joinLines(cell.source);
    if (cell.cell_type === 'markdown') return `<div class="cell markdown">${markdownToHtml(source)}</div>`;
    if (cell.cell_type !== 'code') return `<div class="cell raw"><pre>${esc(source)}</pre></div>`;
    const prompt = `<div class="prompt">In [${cell.execution_count ?? ' '}]:</div>`;
    const outputs = cell.outputs.map(outputHtml).filter((h) => h !== '');
    return (
      `<div class="cell code">${prompt}<pre class="source"><code>${esc(source)}</code></pre>` +
      (outputs.length ? `<div class="outputs">${outputs.join('\n')}</div>` : '') +
      '</div>'
    );
  });
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title><link rel="stylesheet" href="${KATEX_DIR}/katex.min.css"><style>${STYLE}</style></head>
<body>
<p class="note">${note}</p>
${cells.join('\n')}
</body></html>
`;
}

/** The folder, next to the pages, that holds KaTeX's stylesheet and fonts (a page links it relatively). */
export const KATEX_DIR = 'katex';
const KATEX_DIST = path.dirname(require.resolve('katex')); // …/katex/dist/katex.js

/** Copies KaTeX's stylesheet and its woff2 fonts (the format every current browser takes first) into `outDir/katex`. */
export function copyKatexAssets(outDir: string): void {
  const dir = path.join(outDir, KATEX_DIR);
  fs.mkdirSync(path.join(dir, 'fonts'), { recursive: true });
  fs.copyFileSync(path.join(KATEX_DIST, 'katex.min.css'), path.join(dir, 'katex.min.css'));
  for (const f of fs.readdirSync(path.join(KATEX_DIST, 'fonts')).filter((f) => f.endsWith('.woff2')))
    fs.copyFileSync(path.join(KATEX_DIST, 'fonts', f), path.join(dir, 'fonts', f));
}

function hasOutputs(nb: Notebook): boolean {
  return nb.cells.some((c) => c.cell_type === 'code' && c.outputs.length > 0);
}

/**
 * Writes `outDir/NAME.html` for each notebook file, rendered from the file as it is (no execution). Returns the
 * pages written.
 */
export function exportNotebooksHtml(notebooks: string[], outDir: string, describe: (file: string) => string): string[] {
  copyKatexAssets(outDir);
  return notebooks.map((file) => {
    const nb = readNotebook(file);
    const name = path.basename(file, '.ipynb');
    const note = hasOutputs(nb)
      ? describe(file)
      : `<code>${esc(name)}.ipynb</code> has no outputs committed: this page shows its text and code only.`;
    const out = path.join(outDir, `${name}.html`);
    writeFileAtomic(out, notebookToHtml(nb, name, note));
    return out;
  });
}
