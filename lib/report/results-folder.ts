/**
 * The run-level files of a results folder, each written atomically: `run.json` (what is here),
 * `claims.json` (every claim: id, experiment, claim, paper, holds, measured), `claims.md`, `index.html`,
 * `notebooks/*.html` (the committed notebooks with their outputs, lib/notebook/html.ts), and for a config sweep
 * `sweep.json` (its claim × config table). `playground.html`, which `index.html` links to, is written beside them
 * by the command layer (lib/cli/results-folder.ts): the report does not build the browser page.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { verdict } from '../claims';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { COMMIT_SCALE } from '../notebook/freshness';
import { exportNotebooksHtml } from '../notebook/html';
import { listNotebooks } from '../notebook/jupyter';
import { claimsReportMarkdown } from './claims-markdown';
import { writeReportHtml } from './html';
import { type RunSummary, writeSummary } from './summary';
import { summarySweepTable } from './sweep';

export function writeResultsFolder(dir: string, s: RunSummary): { claims: string; markdown: string; html: string } {
  writeSummary(dir, s);
  const claims = s.experiments
    .flatMap((e) => e.claims)
    .map((c) => ({
      id: c.id,
      experiment: c.experiment,
      claim: c.claim,
      paper: c.paper,
      holds: c.holds,
      verdict: verdict(c),
      ...(c.inconclusive !== undefined ? { reason: c.inconclusive } : {}),
      measured: c.measured,
    }));
  const claimsFile = path.join(dir, 'claims.json');
  writeJsonAtomic(claimsFile, claims);
  // A config sweep's claim × config table, also as data.
  const sweep = summarySweepTable(s);
  if (sweep) writeJsonAtomic(path.join(dir, 'sweep.json'), sweep);
  const markdown = claimsReportMarkdown(s);
  writeFileAtomic(path.join(dir, 'claims.md'), markdown);
  exportCommittedNotebooks(dir);
  const html = writeReportHtml(dir);
  return { claims: claimsFile, markdown, html };
}

/**
 * The committed notebooks (executed at COMMIT_SCALE, outputs in the repository) as HTML pages in `dir/notebooks/`,
 * for the report to link; no kernel runs. A notebook `mnm notebooks` executed into this folder keeps its own page.
 */
export function exportCommittedNotebooks(dir: string): string[] {
  const outDir = path.join(dir, 'notebooks');
  const own = (nb: string) => fs.existsSync(path.join(outDir, path.basename(nb)));
  return exportNotebooksHtml(
    listNotebooks().filter((nb) => !own(nb)),
    outDir,
    (nb) =>
      `<code>notebooks/${path.basename(nb)}</code> as committed, executed at ${COMMIT_SCALE} scale ` +
      `(<code>npm run mnm -- notebooks --commit</code>); rendered without a kernel.`,
  );
}
