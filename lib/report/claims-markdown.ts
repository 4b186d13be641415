/** `claims.md` of a results folder: per experiment, each claim with the paper's statement, what was measured and the verdict. */
import { claimsMarkdown, countVerdicts, markdownText as esc, verdictsText } from '../claims';
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
  const n = countVerdicts(claims);
  return {
    total: claims.length,
    hold: n.hold,
    fail: n.fail,
    inconclusive: n.inconclusive,
    failedExperiments: s.experiments.filter((e) => e.error).length,
  };
}

export function claimsReportMarkdown(s: RunSummary): string {
  const n = verdictCounts(s);
  const lines = [
    `# Claims checked (scale \`${s.scale}\`)`,
    '',
    `${n.total} claims: ${verdictsText(n)}.` + (n.failedExperiments ? ` ${n.failedExperiments} experiment(s) did not finish.` : ''),
    'Measured values are mean ± standard deviation over seeds unless the entry says otherwise. Each verdict is read off the 95% interval ' +
      'of the claimed effect against the margin the claim declared (docs/EXPERIMENTS.md, "The verdict rule").',
  ];
  if (s.experiments.length === 0) lines.push('', '_No experiments were run._');
  lines.push(...sweepMarkdown(s));
  for (const e of s.experiments) {
    lines.push(
      '',
      `## ${esc(e.id)}: ${esc(e.title)} (${esc(e.paper)})`,
      '',
      `${esc(e.reproduces)} Seeds: ${e.seeds.length}.${e.error ? '' : ` Claims: ${countVerdicts(e.claims).text}.`}`,
    );
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
