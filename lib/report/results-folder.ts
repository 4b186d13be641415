/**
 * The run-level files of a results folder, each written atomically: `run.json` (what is here),
 * `claims.json` (every claim: id, experiment, claim, paper, holds, measured), `claims.md`, `index.html` and
 * `playground.html` (lib/playground/build.ts).
 */
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { claimsReportMarkdown } from './claims-markdown';
import { writePlayground } from '../playground/build';
import { writeReportHtml } from './html';
import { type RunSummary, writeSummary } from './summary';

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
      measured: c.measured,
    }));
  const claimsFile = path.join(dir, 'claims.json');
  writeJsonAtomic(claimsFile, claims);
  const markdown = claimsReportMarkdown(s);
  writeFileAtomic(path.join(dir, 'claims.md'), markdown);
  const html = writeReportHtml(dir);
  writePlayground(dir);
  return { claims: claimsFile, markdown, html };
}
