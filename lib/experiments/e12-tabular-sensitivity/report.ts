/** E12's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim } from '../../claims';
import type { FigureOf, Claim, ClaimOrigin, Report, SeedResult, VegaLiteSpec } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { combine, type Decision, decisionsFromJson, fmt, type Verdict } from '../../stats';
import {
  FIG2A_PILOT_FILE,
  type Fig2aClaimKey,
  fig2aDecisions,
  fig2aLeftSeeds,
  fig2aMeasured,
  fig2aPower,
  fig2aSeedRows,
  loadFig2aPilot,
} from '../../tabular/paper-figures';
import { ID, SENSITIVITY_COLUMNS, type VerdictRow, type E12Tables, verdictRow } from './run';

/** The tabular claims (the statements of the figures, as in E1–E4's paper settings). */
export const SENSITIVITY_CLAIMS: { key: string; figure: string; claim: string; origin: ClaimOrigin; left?: Fig2aClaimKey }[] = [
  {
    key: 'fig2a-left-mnm-ends-above',
    figure: 'Fig. 2a left',
    claim: 'at the end MnM is above Q-learning and VMBPO (authors’ learner, paired by seed, margin 5% of J*)',
    origin: 'paper',
    left: 'mnm-ends-above',
  },
  {
    key: 'fig2a-left-q-above-vmbpo',
    figure: 'Fig. 2a left',
    claim: 'at the end Q-learning is above VMBPO (shown, not stated; margin 5% of J*)',
    origin: 'derived',
    left: 'q-above-vmbpo',
  },
  {
    key: 'fig2a-left-mnm-first',
    figure: 'Fig. 2a left',
    claim: 'MnM reaches J*/2 first (margin 5% of the iterations)',
    origin: 'paper',
    left: 'mnm-first',
  },
  { key: 'fig2a-right-arrows', figure: 'Fig. 2a right', claim: 'the arrows of the converged q lean toward the goal', origin: 'paper' },
  { key: 'fig2b-exact-reaches', figure: 'Fig. 2b', claim: 'MnM with the exact model reaches the goal', origin: 'paper' },
  { key: 'fig2b-block-reaches', figure: 'Fig. 2b', claim: 'MnM with the block model reaches the goal', origin: 'paper' },
  { key: 'fig2b-ablation-stays', figure: 'Fig. 2b', claim: 'the ablation without the KL term stays at the wall', origin: 'paper' },
  { key: 'fig3a-mnm-optimal', figure: 'Fig. 3a', claim: 'MnM is return-optimal', origin: 'paper' },
  { key: 'fig3a-vmbpo-lower', figure: 'Fig. 3a', claim: 'VMBPO has a lower return', origin: 'paper' },
  { key: 'fig3b-bounds-below', figure: 'Fig. 3b', claim: 'Eq. 2 and Eq. 10 stay below log J at every iteration', origin: 'paper' },
  { key: 'fig3b-vmbpo-above', figure: 'Fig. 3b', claim: 'log VMBPO stays above log J at every iteration', origin: 'paper' },
];

/** Every (claim, column) verdict: the deterministic ones of seed 0, then Fig. 2a left's from the curves of all seeds. */
interface E12Summary {
  verdicts: VerdictRow[];
  /** Seeds of the authors' learner, and the power of each Fig. 2a left claim at that count (the paper column, by the pilot). */
  seeds: number;
  power: Partial<Record<Fig2aClaimKey, number>>;
  /** The verdict of claim `key` under column `column`. */
  verdict(key: string, column: string): VerdictRow | undefined;
  /** The single-knob columns under which claim `key`'s verdict differs from the paper's, by label. */
  flips(key: string): string[];
}

function summarise(results: SeedResult<E12Tables>[]): E12Summary {
  const verdicts = gather(results, 'verdicts');
  const curves = gather(results, 'curves');
  let seeds = 0;
  for (const col of SENSITIVITY_COLUMNS) {
    const left = fig2aLeftSeeds(
      col.knobs,
      curves.filter((r) => r.column === col.key),
    );
    seeds = left.seeds.length;
    const rows = fig2aSeedRows(left);
    for (const c of SENSITIVITY_CLAIMS) {
      if (!c.left) continue;
      verdicts.push(
        verdictRow(col.key, c.key, fig2aDecisions(c.left, rows, left.optimal, left.lastIteration + 1), fig2aMeasured(left, c.left)),
      );
    }
  }
  const pilot = loadFig2aPilot();
  const power: E12Summary['power'] = {};
  // The pilot ran the authors' iterations: at another length (smoke) it says nothing about power.
  const iterations = Math.max(...curves.map((r) => r.iteration)) + 1;
  if (iterations === pilot.iterations)
    for (const c of SENSITIVITY_CLAIMS) if (c.left && seeds >= 2) power[c.left] = fig2aPower(pilot, c.left, seeds);
  const verdict = (key: string, column: string) => verdicts.find((v) => v.claim === key && v.column === column);
  const knobCols = SENSITIVITY_COLUMNS.filter((c) => c.key !== 'paper' && c.key !== 'project');
  const flips = (key: string) =>
    knobCols.filter((k) => verdict(key, k.key)?.verdict !== verdict(key, 'paper')?.verdict).map((k) => k.label);
  return { verdicts, seeds, power, verdict, flips };
}

const word = (v: VerdictRow | undefined): Verdict | 'not computed' => v?.verdict ?? 'not computed';

/** The decisions behind claim `key` under every column but the project's (the paper's and the single-knob changes). */
function robustEvidence(s: E12Summary, key: string): Decision[] {
  return SENSITIVITY_COLUMNS.filter((c) => c.key !== 'project').flatMap((c) => {
    const v = s.verdict(key, c.key);
    return v ? decisionsFromJson(v.evidence, `E12 ${key} under ${c.key}`) : [];
  });
}

function e12Tables(s: E12Summary): Report['tables'] {
  const table = SENSITIVITY_CLAIMS.map((c) => {
    const row: Record<string, string> = { figure: c.figure, claim: c.claim };
    for (const col of SENSITIVITY_COLUMNS) row[col.label] = word(s.verdict(c.key, col.key));
    return row;
  });
  const robustness = SENSITIVITY_CLAIMS.map((c) => {
    const robust = combine(robustEvidence(s, c.key)).verdict;
    return {
      figure: c.figure,
      claim: c.claim,
      origin: c.origin,
      paper_setting: word(s.verdict(c.key, 'paper')),
      project_setting: word(s.verdict(c.key, 'project')),
      verdict_changed_by: s.flips(c.key).join(', '),
      robust_verdict: robust,
      robust: robust === 'holds',
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
        axis: { labelAngle: -30, labelLimit: 320 },
      },
      y: {
        field: 'claim',
        type: 'nominal',
        sort: SENSITIVITY_CLAIMS.map((c) => `${c.figure}: ${c.claim}`),
        title: null,
        axis: { labelLimit: 720 },
      },
      color: {
        field: 'verdict',
        type: 'nominal',
        scale: { domain: ['holds', 'does not hold', 'inconclusive'], range: ['#4c9a5b', '#c8553d', '#b5b5b5'] },
        title: null,
      },
    },
  } satisfies VegaLiteSpec;
  return namedFigures({ sensitivity });
}

function e12Claims(s: E12Summary): Claim[] {
  return SENSITIVITY_CLAIMS.map((c) => {
    const paper = s.verdict(c.key, 'paper');
    const flips = s.flips(c.key);
    const list = SENSITIVITY_COLUMNS.map((k) => `${k.label}: ${word(s.verdict(c.key, k.key))}`).join('; ');
    const paperWord = word(paper);
    const power = c.left ? s.power[c.left] : undefined;
    return claim({
      id: `E12.${c.key}`,
      experiment: ID,
      origin: 'project',
      claim: `${c.figure}: "${c.claim}" holds under the paper's settings and under every single-knob change (robust)`,
      paper: `${c.figure} (the claim is the paper's: ${c.origin})`,
      evidence: robustEvidence(s, c.key),
      ...(c.left && power !== undefined
        ? { seeds: s.seeds, pilot: `data/${FIG2A_PILOT_FILE}, power of the paper column (the knob columns have no pilot)`, power }
        : {}),
      measured:
        `${list}. ` +
        (paperWord === 'holds'
          ? flips.length === 0
            ? 'The same verdict under every knob tried.'
            : `Its verdict changes under: ${flips.join(', ')}.`
          : paperWord === 'does not hold'
            ? 'Does not hold under the paper’s own settings.'
            : `Undecided under the paper’s own settings${power !== undefined ? ` (power ${fmt(power, 2)} at ${s.seeds} seeds)` : ''}.`) +
        ` Project setting: ${word(s.verdict(c.key, 'project'))}. Paper setting in numbers: ${paper?.measured ?? 'n/a'}`,
    });
  });
}

export function report(results: SeedResult<E12Tables>[]) {
  const s = summarise(results);
  return { tables: e12Tables(s), figures: e12Figures(s), claims: e12Claims(s) };
}

/** E12's verdict in markdown: the claims that hold under the paper's settings and every knob, those that do not, and those undecided. */
export function describeRobustness(rep: Pick<Report, 'tables'>): string {
  const rows = rep.tables.robustness?.toRecords() ?? [];
  // Claims name J*/2: escape the markdown emphasis characters.
  const line = (r: Record<string, unknown>) => `- ${String(r.figure)}: ${String(r.claim).replace(/([*_])/g, '\\$1')}`;
  const changed = (r: Record<string, unknown>) =>
    r.verdict_changed_by ? `; its verdict changes with ${String(r.verdict_changed_by)}` : '';
  const group = (v: string) => rows.filter((r) => r.robust_verdict === v);
  const robust = group('holds').map(line);
  const fragile = group('does not hold').map((r) =>
    r.paper_setting === 'does not hold' ? `${line(r)}: does not hold under the paper's own settings` : `${line(r)}${changed(r)}`,
  );
  const open = group('inconclusive').map(
    (r) =>
      `${line(r)}: under the paper's settings it ${String(r.paper_setting) === 'holds' ? 'holds' : `is ${String(r.paper_setting)}`}${changed(r)}`,
  );
  return (
    `**Robust** (holds under the paper's settings and under every knob):\n\n${robust.join('\n') || '- none'}\n\n` +
    `**Not robust** (does not hold under the paper's settings or under a knob):\n\n${fragile.join('\n') || '- none'}\n\n` +
    `**Undecided** (an interval straddles its margin under some setting, or a figure could not be computed):\n\n${open.join('\n') || '- none'}`
  );
}

/** The figures E12's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E12Figure = FigureOf<typeof report>;
