/**
 * `mnm notebooks`: executes every notebook (or the ones named) headless through Jupyter at a scale and
 * exports each to HTML in `DIR/notebooks/`, where the report links to it. Plots show there without a
 * kernel: the display helper puts an SVG in every plot output.
 *
 * `mnm notebooks --commit`: executes them at the committed scale and writes them back into notebooks/ with
 * their outputs, slimmed (lib/notebook/commit.ts): what the repository shows, and what the freshness test
 * (test/notebooks.test.ts) compares the code's current outputs with.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { committedNotebook } from '../notebook/commit';
import { readNotebook, writeNotebook } from '../notebook/format';
import { COMMIT_SCALE } from '../notebook/freshness';
import { exportNotebooksHtml } from '../notebook/html';
import { executeNotebook, listNotebooks } from '../notebook/jupyter';
import { writePlayground } from '../playground/build';
import { writeReportHtml } from '../report/html';
import { SUMMARY_FILE } from '../report/summary';
import type { NotebooksOptions } from './args';
import { openResultsFolder } from './folder-lock';
import { note, say } from './output';

export function notebooksCommand(opts: NotebooksOptions): number {
  if (opts.commit) return commitNotebooks(opts.notebooks.length ? opts.notebooks : listNotebooks());
  const folder = openResultsFolder(opts.out);
  try {
    return executeInto(folder.dir, opts);
  } finally {
    folder.release();
  }
}

function executeInto(dir: string, opts: NotebooksOptions): number {
  const notebooks = opts.notebooks.length ? opts.notebooks : listNotebooks();
  const outDir = path.join(dir, 'notebooks');
  let failures = 0;
  for (const [i, nb] of notebooks.entries()) {
    note(`[${i + 1}/${notebooks.length}] ${path.relative(process.cwd(), nb)} at scale ${opts.scale}...`);
    const r = executeNotebook(nb, { outDir, scale: opts.scale });
    const [page] = fs.existsSync(r.output)
      ? exportNotebooksHtml([r.output], outDir, () => `Executed at ${opts.scale} scale by <code>mnm notebooks</code>.`)
      : [];
    if (r.ok) note(`    ok in ${r.seconds.toFixed(1)} s → ${page}`);
    else {
      failures++;
      note(`    FAILED in ${r.seconds.toFixed(1)} s:\n${r.errors.map((e) => `      ${e}`).join('\n')}`);
    }
  }
  // The report links to the exported notebooks it finds: rebuild it when this folder has one.
  if (fs.existsSync(path.join(dir, SUMMARY_FILE))) {
    writeReportHtml(dir);
    writePlayground(dir); // its panels link to the notebooks just exported
  }
  say(
    `${notebooks.length - failures} of ${notebooks.length} notebooks executed and exported to ${outDir}` +
      (fs.existsSync(path.join(dir, 'index.html')) ? ` (linked from ${path.join(dir, 'index.html')})` : ''),
  );
  return failures ? 1 : 0;
}

/** Executes each notebook at COMMIT_SCALE and, when it ran without errors, rewrites it with its slimmed outputs. */
function commitNotebooks(notebooks: string[]): number {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-commit-'));
  let failures = 0;
  const t0 = performance.now();
  try {
    for (const [i, nb] of notebooks.entries()) {
      note(`[${i + 1}/${notebooks.length}] ${path.relative(process.cwd(), nb)} at scale ${COMMIT_SCALE}...`);
      const r = executeNotebook(nb, { outDir: tmp, scale: COMMIT_SCALE });
      if (!r.ok) {
        failures++;
        note(`    FAILED in ${r.seconds.toFixed(1)} s, left unchanged:\n${r.errors.map((e) => `      ${e}`).join('\n')}`);
        continue;
      }
      const { notebook, report } = committedNotebook(readNotebook(nb), readNotebook(r.output), path.basename(nb));
      writeNotebook(nb, notebook);
      const slimmed = [
        report.droppedSpecs.length ? `live spec dropped in ${report.droppedSpecs.join(', ')}` : '',
        report.pngFigures.length ? `PNG instead of SVG in ${report.pngFigures.join(', ')}` : '',
      ].filter(Boolean);
      note(`    ok in ${r.seconds.toFixed(1)} s, ${(report.bytes / 1e3).toFixed(0)} kB${slimmed.length ? ` (${slimmed.join('; ')})` : ''}`);
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  say(`${notebooks.length - failures} of ${notebooks.length} notebooks executed at ${COMMIT_SCALE} scale and written back in ${secs} s`);
  return failures ? 1 : 0;
}
