/**
 * The run-level files of a results folder, each written atomically: `run.json` (what is here),
 * `claims.json` (every claim: id, experiment, claim, paper, holds, measured), `claims.md`, `index.html`,
 * `playground.html` (lib/playground/build.ts), and for a config sweep `sweep.json` (its claim × config table).
 */
import * as path from 'node:path';
import { verdict } from '../claims';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { claimsReportMarkdown } from './claims-markdown';
import { writePlayground } from '../playground/build';
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
  const html = writeReportHtml(dir);
  writePlayground(dir);
  return { claims: claimsFile, markdown, html };
}
