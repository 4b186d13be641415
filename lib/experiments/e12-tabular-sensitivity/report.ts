/** E12's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim } from '../../claims';
import type { FigureOf, Claim, Report, SeedResult, VegaLiteSpec } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { fig2aLeftChecks } from '../../tabular/paper-figures';
import { ID, SENSITIVITY_COLUMNS, type VerdictRow, type E12Tables } from './run';

/** The tabular claims (the statements of the figures, as in E1–E4's paper settings). */
export const SENSITIVITY_CLAIMS: { key: string; figure: string; claim: string }[] = [
  {
    key: 'fig2a-left-final-order',
    figure: 'Fig. 2a left',
    claim: 'at the end MnM > Q-learning > VMBPO (authors’ learner, paired 95% CIs)',
  },
  { key: 'fig2a-left-mnm-first', figure: 'Fig. 2a left', claim: 'MnM reaches J*/2 first' },
  { key: 'fig2a-right-arrows', figure: 'Fig. 2a right', claim: 'the arrows of the converged q lean toward the goal' },
  { key: 'fig2b-exact-reaches', figure: 'Fig. 2b', claim: 'MnM with the exact model reaches the goal' },
  { key: 'fig2b-block-reaches', figure: 'Fig. 2b', claim: 'MnM with the block model reaches the goal' },
  { key: 'fig2b-ablation-stays', figure: 'Fig. 2b', claim: 'the ablation without the KL term stays at the wall' },
  { key: 'fig3a-mnm-optimal', figure: 'Fig. 3a', claim: 'MnM is return-optimal' },
  { key: 'fig3a-vmbpo-lower', figure: 'Fig. 3a', claim: 'VMBPO has a lower return' },
  { key: 'fig3b-bounds-below', figure: 'Fig. 3b', claim: 'Eq. 2 and Eq. 10 stay below log J at every iteration' },
  { key: 'fig3b-vmbpo-above', figure: 'Fig. 3b', claim: 'log VMBPO stays above log J at every iteration' },
];

/** Every (claim, column) verdict: the deterministic ones of seed 0, then Fig. 2a left's from the curves of all seeds. */
interface E12Summary {
  verdicts: VerdictRow[];
  /** The verdict of claim `key` under column `column`. */
  verdict(key: string, column: string): VerdictRow | undefined;
  /** The single-knob columns under which claim `key`'s verdict differs from the paper's, by label. */
  flips(key: string): string[];
}

function summarise(results: SeedResult<E12Tables>[]): E12Summary {
  const verdicts = gather(results, 'verdicts');
  const curves = gather(results, 'curves');
  for (const col of SENSITIVITY_COLUMNS) {
    const left = fig2aLeftChecks(
      col.knobs,
      curves.filter((r) => r.column === col.key),
    );
    verdicts.push({
      column: col.key,
      claim: 'fig2a-left-final-order',
      holds: left.checks.finalOrder.holds,
      measured: left.checks.finalOrder.measured,
    });
    verdicts.push({
      column: col.key,
      claim: 'fig2a-left-mnm-first',
      holds: left.checks.mnmFirst.holds,
      measured: left.checks.mnmFirst.measured,
    });
  }
  const verdict = (key: string, column: string) => verdicts.find((v) => v.claim === key && v.column === column);
  const knobCols = SENSITIVITY_COLUMNS.filter((c) => c.key !== 'paper' && c.key !== 'project');
  const flips = (key: string) => knobCols.filter((k) => verdict(key, k.key)?.holds !== verdict(key, 'paper')?.holds).map((k) => k.label);
  return { verdicts, verdict, flips };
}

const word = (v: VerdictRow | undefined) => (v?.holds ? 'holds' : 'fails');

function e12Tables(s: E12Summary): Report['tables'] {
  const table = SENSITIVITY_CLAIMS.map((c) => {
    const row: Record<string, string> = { figure: c.figure, claim: c.claim };
    for (const col of SENSITIVITY_COLUMNS) row[col.label] = word(s.verdict(c.key, col.key));
    return row;
  });
  const robustness = SENSITIVITY_CLAIMS.map((c) => {
    const paperHolds = Boolean(s.verdict(c.key, 'paper')?.holds);
    const flips = s.flips(c.key);
    return {
      figure: c.figure,
      claim: c.claim,
      paper_setting: paperHolds ? 'holds' : 'fails',
      project_setting: word(s.verdict(c.key, 'project')),
      verdict_changed_by: flips.join(', '),
      robust: paperHolds && flips.length === 0,
    };
  });
  return { sensitivity: pl.DataFrame(table), robustness: pl.DataFrame(robustness), verdicts: pl.DataFrame(s.verdicts) };
}

function e12Figures(s: E12Summary) {
  const cells = SENSITIVITY_CLAIMS.flatMap((c) =>
    SENSITIVITY_COLUMNS.map((col) => ({ claim: `${c.figure}: ${c.claim}`, setting: col.label, verdict: word(s.verdict(c.key, col.key)) })),
  );
  const sensitivity = {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: 'Tabular claims under the paper’s settings, the project’s and single-knob changes',
    data: { values: cells },
    mark: { type: 'rect', stroke: 'white' },
    width: { step: 90 },
    height: { step: 22 },
    encoding: {
      x: {
        field: 'setting',
        type: 'nominal',
        sort: SENSITIVITY_COLUMNS.map((c) => c.label),
        title: null,
        axis: { labelAngle: -30, labelLimit: 200 },
      },
      y: {
        field: 'claim',
        type: 'nominal',
        sort: SENSITIVITY_CLAIMS.map((c) => `${c.figure}: ${c.claim}`),
        title: null,
        axis: { labelLimit: 420 },
      },
      color: { field: 'verdict', type: 'nominal', scale: { domain: ['holds', 'fails'], range: ['#4c9a5b', '#c8553d'] }, title: null },
    },
  } satisfies VegaLiteSpec;
  return namedFigures({ sensitivity });
}

function e12Claims(s: E12Summary): Claim[] {
  return SENSITIVITY_CLAIMS.map((c) => {
    const paper = s.verdict(c.key, 'paper');
    const flips = s.flips(c.key);
    const list = SENSITIVITY_COLUMNS.map((k) => `${k.label}: ${word(s.verdict(c.key, k.key))}`).join('; ');
    return claim({
      id: `E12.${c.key}`,
      experiment: ID,
      claim: `${c.figure}: "${c.claim}" holds under the paper's settings and under every single-knob change (robust)`,
      paper: c.figure,
      holds: Boolean(paper?.holds) && flips.length === 0,
      measured:
        `${list}. ` +
        (paper?.holds
          ? flips.length === 0
            ? 'Robust to every knob tried.'
            : `Its verdict changes under: ${flips.join(', ')}.`
          : 'Does not hold under the paper’s own settings.') +
        ` Project setting: ${word(s.verdict(c.key, 'project'))}. Paper setting in numbers: ${paper?.measured ?? 'n/a'}`,
    });
  });
}

export function report(results: SeedResult<E12Tables>[]) {
  const s = summarise(results);
  return { tables: e12Tables(s), figures: e12Figures(s), claims: e12Claims(s) };
}

/** E12's verdict in markdown: the claims that hold under the paper's settings and every knob, and what changes the others. */
export function describeRobustness(rep: Pick<Report, 'tables'>): string {
  const rows = rep.tables.robustness?.toRecords() ?? [];
  // Claims name J*/2: escape the markdown emphasis characters.
  const line = (r: Record<string, unknown>) => `- ${String(r.figure)}: ${String(r.claim).replace(/([*_])/g, '\\$1')}`;
  const robust = rows.filter((r) => r.robust === true).map(line);
  const fragile = rows
    .filter((r) => r.robust !== true)
    .map((r) =>
      r.paper_setting === 'holds'
        ? `${line(r)}: its verdict changes with ${String(r.verdict_changed_by)}`
        : `${line(r)}: does not hold under the paper's own settings`,
    );
  return (
    `**Robust** (holds under the paper's settings and under every knob):\n\n${robust.join('\n') || '- none'}\n\n` +
    `**Not robust:**\n\n${fragile.join('\n') || '- none'}`
  );
}

/** The figures E12's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E12Figure = FigureOf<typeof report>;
