/** The report of E3's paper setting (Fig. 3a): its tables, figures and claims over the seeds paper-run.ts computes. */
import pl from 'nodejs-polars';
import { claim } from '../../claims';
import type { Claim, VegaLiteSpec } from '../../experiment';
import { gather } from '../../experiment';
import { figureTitle } from '../../plot/spec';
import { fmt } from '../../stats';
import { type Fig3a, fig3a } from '../../tabular/paper-figures/fig3a';
import { PAPER_KNOBS } from '../../tabular/paper-figures/knobs';
import { projectCounterpart, type PaperReport } from '../settings';
import { type ReturnRow, type Fig3aTables } from './paper-run';

const ID = 'e3-risk-mdp';
const WHY =
  'the project setting is a different risk MDP (Left absorbing, rewards 1.0 / 0.1 / 1.35, wind 0.5, two actions) solved by value iteration; ' +
  "the paper setting is the authors' 1×3 grid with rewards 50 / 1 / 51 solved by their alternating procedure.";

export const paperFig3aReport = {
  report(results, _ctx, project) {
    const rows = gather(results, 'returns');
    // Deterministic: the checks' one definition, computed again rather than read back.
    const r = fig3a(PAPER_KNOBS);
    return { tables: { returns: pl.DataFrame(rows) }, figures: { fig3a_returns: returnsFigure(rows) }, claims: fig3aClaims(r, project) };
  },
} satisfies PaperReport<object, Fig3aTables>;

function returnsFigure(rows: ReturnRow[]): VegaLiteSpec {
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle({
      title: 'Fig. 3a (paper setting): true return from the middle cell of each final policy',
      subtitle: `Paper (Fig. 3a): MnM takes the safe side, VMBPO the risky one · Here: ${rows.map((x) => `${x.method} (${x.procedure}) ${fmt(x.return)}`).join(', ')}`,
      caption: 'Compare the bars: a higher true return is the better choice under the real dynamics.',
    }),
    data: { values: rows.map((x) => ({ ...x, label: `${x.method} (${x.procedure})` })) },
    width: 360,
    height: 200,
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'label', type: 'nominal', title: null, sort: null },
      x: { field: 'return', type: 'quantitative', title: 'return from the middle cell' },
      color: { field: 'method', type: 'nominal', title: null },
    },
  } satisfies VegaLiteSpec;
}

function fig3aClaims(r: Fig3a, project: Claim[]): Claim[] {
  return [
    claim({
      id: 'E3.paper.mnm-return-optimal',
      experiment: ID,
      claim: "[paper setting] MnM's final policy (alternating procedure) is return-optimal: its return from the middle equals Q-learning's",
      paper: 'Fig. 3a: "MnM learns the reward-maximizing policy"',
      holds: r.checks.mnmOptimal.holds,
      measured: r.checks.mnmOptimal.measured + projectCounterpart(project, ['E3.mnm-reward-side'], WHY, r.checks.mnmOptimal.holds),
    }),
    claim({
      id: 'E3.paper.vmbpo-lower',
      experiment: ID,
      claim: "[paper setting] VMBPO's final policy has a lower return from the middle",
      paper: 'Fig. 3a: "VMBPO learns a strategy with lower rewards and higher variance"',
      holds: r.checks.vmbpoLower.holds,
      measured: r.checks.vmbpoLower.measured + projectCounterpart(project, ['E3.vmbpo-risky-side'], WHY, r.checks.vmbpoLower.holds),
    }),
  ];
}
