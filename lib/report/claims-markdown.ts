/** `claims.md` of a results folder: per experiment, each claim with the paper's statement, what was measured and the verdict. */
import { claimsMarkdown, markdownText as esc, verdict } from '../claims';
import type { RunSummary } from './summary';
import { sweepMarkdown } from './sweep';

export function verdictCounts(s: RunSummary): {
  total: number;
  hold: number;
  fail: number;
  inconclusive: number;
  failedExperiments: number;
} {
  const claims = s.experiments.flatMap((e) => e.claims);
  const count = (v: string) => claims.filter((c) => verdict(c) === v).length;
  return {
    total: claims.length,
    hold: count('holds'),
    fail: count('does not hold'),
    inconclusive: count('inconclusive'),
    failedExperiments: s.experiments.filter((e) => e.error).length,
  };
}

export function claimsReportMarkdown(s: RunSummary): string {
  const n = verdictCounts(s);
  const lines = [
    `# Claims checked (scale \`${s.scale}\`)`,
    '',
    `${n.total} claims: ${n.hold} hold, ${n.fail} do not${n.inconclusive ? `, ${n.inconclusive} inconclusive` : ''}.` +
      (n.failedExperiments ? ` ${n.failedExperiments} experiment(s) did not finish.` : ''),
    'Measured values are mean ± standard deviation over seeds unless the entry says otherwise.',
  ];
  if (s.experiments.length === 0) lines.push('', '_No experiments were run._');
  lines.push(...sweepMarkdown(s));
  for (const e of s.experiments) {
    lines.push('', `## ${esc(e.id)}: ${esc(e.title)} (${esc(e.paper)})`, '', `${esc(e.reproduces)} Seeds: ${e.seeds.length}.`);
    if (e.error) {
      lines.push(
        '',
        `**Did not finish** (${e.seeds.length} of ${e.seeds.length + e.missingSeeds.length} seeds done): ${esc(e.error.split('\n')[0])}`,
      );
      continue;
    }
    if (e.missingSeeds.length) lines.push(`Missing seeds: ${e.missingSeeds.join(', ')} (the claims below use only the seeds present).`);
    lines.push('', claimsMarkdown(e.claims).trimEnd());
  }
  return lines.join('\n') + '\n';
}
