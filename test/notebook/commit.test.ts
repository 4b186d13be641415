// The committed form of an executed notebook: counts set, volatile parts gone, figures slimmed, size bounded.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { MAX_NOTEBOOK_BYTES, committedNotebook, shareVegaLiteData, slimSvg } from '../../lib/notebook/commit';
import { type CodeCell, type Notebook, formatNotebook, joinLines, parseNotebook, readNotebook } from '../../lib/notebook/format';
import { VEGALITE_MIME } from '../../lib/notebook/display';

const ROOT = path.resolve(__dirname, '..', '..');
const FIXTURE = path.join(__dirname, '..', 'fixtures', 'notebook', 'executed.ipynb');

/** The fixture as executed here (the repository's path in an output), and as written (no outputs). */
function pair(): { source: Notebook; executed: Notebook } {
  const executed = parseNotebook(JSON.parse(formatNotebook(readNotebook(FIXTURE)).replace('ROOT', ROOT)), 'executed');
  const source = structuredClone(executed);
  for (const c of source.cells) if (c.cell_type === 'code') c.outputs = [];
  return { source, executed };
}
const code = (nb: Notebook) => nb.cells.filter((c): c is CodeCell => c.cell_type === 'code');

test('a committed notebook has counts 1..n, no timestamps, progress lines or absolute paths, and keeps its tags', () => {
  const { source, executed } = pair();
  const { notebook, report } = committedNotebook(source, executed, 'executed.ipynb');
  assert.deepEqual(
    code(notebook).map((c) => c.execution_count),
    [1, 2, null, 3],
    'the empty cell did not run',
  );
  const result = code(notebook)[3].outputs[0];
  assert.equal(result.output_type === 'execute_result' && result.execution_count, 3);
  const text = formatNotebook(notebook);
  assert.doesNotMatch(text, /iopub|2026-11-25/, 'no execution timestamps');
  assert.doesNotMatch(text, /seed 1\/2 · 50%/, 'no progress line');
  assert.ok(!text.includes(ROOT), 'no absolute path');
  assert.match(joinLines((code(notebook)[1].outputs[0] as { text: string[] }).text), /^ran 2 seeds in 0\.3 s\nwrote results\/x\.json\n$/);
  assert.deepEqual(code(notebook)[0].metadata, { tags: ['parameters'] });
  assert.equal(report.bytes, Buffer.byteLength(text));
  assert.deepEqual([report.droppedSpecs, report.pngFigures], [[], []]);
});

test('committing is idempotent and writes what Jupyter writes: sorted keys, one-space indent, lines as lists', () => {
  const { source, executed } = pair();
  const once = formatNotebook(committedNotebook(source, executed, 'x').notebook);
  const again = formatNotebook(committedNotebook(source, parseNotebook(JSON.parse(once), 'again'), 'x').notebook);
  assert.equal(again, once);
  assert.match(once, /^{\n "cells": \[\n  {\n {3}"cell_type": "markdown",/);
  assert.match(once, /"source": \[\n {4}"# A \*small\* notebook\\n",\n/);
});

test('a data array used twice in a Vega-Lite spec is stored once under datasets', () => {
  const { executed } = pair();
  const out = code(executed)[1].outputs[2];
  assert.ok(out.output_type === 'display_data');
  const spec = out.data[VEGALITE_MIME] as { layer: { data: unknown }[] };
  const shared = shareVegaLiteData(spec) as { layer: { data: unknown }[]; datasets: Record<string, unknown> };
  assert.deepEqual(
    shared.layer.map((l) => l.data),
    [{ name: 'shared-1' }, { name: 'shared-1' }, { values: [{ x: 0 }] }],
  );
  assert.deepEqual(shared.datasets, { 'shared-1': (spec.layer[0].data as { values: unknown }).values });
});

test('slimSvg drops per-mark labels and rounds geometry, but keeps the root label and the text', () => {
  const svg =
    '<svg aria-label="a chart" role="graphics-document"><path aria-label="x: 1" role="graphics-symbol" d="M1.23456,2.5h10.987654"/><text x="2.5">γ 0.995</text></svg>';
  assert.equal(
    slimSvg(svg),
    '<svg aria-label="a chart" role="graphics-document"><path d="M1.23,2.5h10.99"/><text x="2.5">γ 0.995</text></svg>',
  );
});

test('a notebook over the size limit loses live specs first, largest first, and keeps every static figure', () => {
  const { source, executed } = pair();
  const out = code(executed)[1].outputs[2];
  assert.ok(out.output_type === 'display_data');
  const big = { ...(out.data[VEGALITE_MIME] as object), datasets: { big: Array.from({ length: 40_000 }, (_, i) => ({ x: i, y: i })) } };
  out.data[VEGALITE_MIME] = big;
  const { notebook, report } = committedNotebook(source, executed, 'big');
  assert.ok(report.bytes <= MAX_NOTEBOOK_BYTES, String(report.bytes));
  assert.deepEqual(report.droppedSpecs, ['cell 3']);
  const kept = code(notebook)[1].outputs.find((o) => o.output_type === 'display_data' && 'image/svg+xml' in o.data);
  assert.ok(kept && kept.output_type === 'display_data' && !(VEGALITE_MIME in kept.data));
});
