/** The claim × config table of a config sweep (lib/sweep.ts), as Markdown for claims.md and HTML for index.html. */
import { markdownCode, markdownText, type Verdict } from '../claims';
import { expandSweep, type SweepTable, sweepTable } from '../sweep';
import type { RunSummary } from './summary';

/** The table of the folder's sweep, or null when it holds none. */
export function summarySweepTable(s: RunSummary): SweepTable | null {
  if (!s.sweep) return null;
  const variants = expandSweep(s.sweep).map((v) => ({
    id: v.id,
    label: v.label,
    claims: s.experiments.find((e) => e.id === v.id)?.claims ?? [],
  }));
  return sweepTable(s.sweep.experiment, variants);
}

const shown = (v: Verdict | null) => v ?? '–';

export function sweepMarkdown(s: RunSummary): string[] {
  const t = summarySweepTable(s);
  if (!t) return [];
  const esc = markdownText;
  return [
    '',
    `## Sweep of ${esc(t.experiment)}: claims × configs`,
    '',
    `${t.configs.length} configs; each one's claims, with the measured values, are in its own section below (– : not checked).`,
    '',
    `| claim | ${t.configs.map(esc).join(' | ')} |`,
    `|---|${t.configs.map(() => '---|').join('')}`,
    ...t.rows.map((r) => `| ${markdownCode(r.claim)} ${esc(r.text)} | ${r.verdicts.map(shown).join(' | ')} |`),
  ];
}

/** `esc` escapes HTML text and `cls` gives a verdict's CSS class: both the report's own (lib/report/html.ts). */
export function sweepHtml(s: RunSummary, esc: (x: string) => string, cls: Record<Verdict, string>): string {
  const t = summarySweepTable(s);
  if (!t) return '';
  const head = t.configs.map((c) => `<th><code>${esc(c)}</code></th>`).join('');
  const rows = t.rows.map(
    (r) =>
      `<tr><td>${esc(r.text)}<br><code>${esc(r.claim)}</code></td>` +
      r.verdicts.map((v) => `<td class="verdict ${v === null ? '' : cls[v]}">${shown(v)}</td>`).join('') +
      '</tr>',
  );
  return (
    `<section id="sweep"><h2>Sweep of <code>${esc(t.experiment)}</code>: claims × configs</h2>` +
    `<p>${t.configs.length} configs; each one's claims, with the measured values, are in its own section below.</p>\n` +
    `<table class="claims"><thead><tr><th>claim</th>${head}</tr></thead>\n<tbody>\n${rows.join('\n')}\n</tbody></table></section>`
  );
}
