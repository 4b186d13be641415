/**
 * `mnm notebooks`: executes every notebook (or the ones named) headless through Jupyter at a scale and
 * exports each to HTML in `DIR/notebooks/`, where the report links to it. Plots show there without a
 * kernel: the display helper puts an SVG in every plot output, which nbconvert's HTML shows.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { executeNotebook, listNotebooks } from '../notebook/jupyter';
import { writePlayground } from '../playground/build';
import { writeReportHtml } from '../report/html';
import { SUMMARY_FILE } from '../report/summary';
import type { NotebooksOptions } from './args';
import { openResultsFolder } from './folder-lock';
import { note, say } from './output';

export function notebooksCommand(opts: NotebooksOptions): number {
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
    const r = executeNotebook(nb, { outDir, scale: opts.scale, html: true });
    if (r.ok) note(`    ok in ${r.seconds.toFixed(1)} s → ${path.join(outDir, `${path.basename(nb, '.ipynb')}.html`)}`);
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
