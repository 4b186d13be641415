// A notebook rendered to standalone HTML from its JSON: markdown with LaTeX, code, and each output's static form.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { readNotebook } from '../../lib/notebook/format';
import { copyKatexAssets, markdownToHtml, notebookToHtml } from '../../lib/notebook/html';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'notebook', 'executed.ipynb');

test('markdown: LaTeX becomes KaTeX HTML with MathML beside it, subscripts and stars do not italicise prose, code and money stay as written', () => {
  const html = markdownToHtml(
    'The return $J^*$ and $L_{VMBPO}$ and $E_{q,\\pi}$; $5 and $6.\n\n$$\\log J \\ge \\mathcal{L}$$\n\n`a $x$ b`\n',
  );
  assert.equal((html.match(/<math/g) ?? []).length, 4, html);
  assert.match(html, /<math xmlns="http:\/\/www\.w3\.org\/1998\/Math\/MathML" display="block">/);
  assert.equal((html.match(/class="katex-html"/g) ?? []).length, 4, 'drawn by KaTeX, not by the browser from MathML');
  assert.match(markdownToHtml('$\\mathbb{E}$'), /mathbb/, 'blackboard bold keeps its font class');
  assert.doesNotMatch(html, /<em>/);
  assert.match(html, /\$5 and \$6/);
  assert.match(html, /<code>a \$x\$ b<\/code>/);
});

test('a notebook page shows markdown, code, SVG inline with its own ids, tables, generated markdown and plain text', () => {
  const html = notebookToHtml(readNotebook(FIXTURE), 'fixture', 'a note');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /<p class="note">a note<\/p>/);
  assert.match(html, /<h1>A <em>small<\/em> notebook<\/h1>/);
  assert.match(html, /\nif \(a &lt; b\) show\(table\);<\/code>/, 'code is escaped');
  assert.match(html, /<clipPath id="svg1-clip1">.*clip-path="url\(#svg1-clip1\)"/s, 'SVG ids cannot clash between figures');
  assert.doesNotMatch(html, /<\?xml/);
  assert.match(html, /<table class="dataframe">/, 'the table is the HTML output as is');
  assert.match(html, /<td><strong>holds<\/strong><\/td>/, 'generated markdown is rendered');
  assert.match(html, /<pre class="plain">2 &lt; 3 &amp; done<\/pre>/);
  assert.match(html, /<pre class="stream stdout">ran 2 seeds/);
  assert.ok(!/<script/.test(html), 'no script: a static page');
  assert.match(html, /<link rel="stylesheet" href="katex\/katex.min.css">/, 'KaTeX CSS linked relatively');
});

test('the export ships KaTeX CSS and its fonts next to the pages, so math renders offline', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-katex-'));
  try {
    copyKatexAssets(out);
    const css = fs.readFileSync(path.join(out, 'katex', 'katex.min.css'), 'utf8');
    const woff2 = [...css.matchAll(/url\((fonts\/[^)]+\.woff2)\)/g)].map((m) => m[1]);
    assert.ok(woff2.length > 10);
    for (const f of woff2) assert.ok(fs.existsSync(path.join(out, 'katex', f)), `${f} is shipped`);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
