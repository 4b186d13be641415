/**
 * Figures are named once, in the experiment's figures function, and typed from there: a notebook asking for a
 * figure the experiment does not draw fails the type check (`tsc --noEmit -p .` checks the expectations below).
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExperiment } from '../../lib/experiment';
import type { E1Figure } from '../../lib/experiments/e1-gridworld-optimism';
import { e4BoundAlongVI, type E4Figure } from '../../lib/experiments/e4-bound-along-vi';
import type { E6Figure } from '../../lib/experiments/e6-transfer';
import type { E7Figure, e7QValueStability } from '../../lib/experiments/e7-q-value-stability';
import { referenceOrRun } from '../../lib/report/reference';

// Every key, and no other (`satisfies` refuses a missing key and an extra one).
export const E1_FIGURES = {
  learning_curves: true,
  model_arrows: true,
  paper_fig2a_left_authors: true,
  paper_fig2a_left_section4: true,
  paper_fig2a_right_arrows: true,
} satisfies Record<E1Figure, true>;
const E4_FIGURES = { objectives_along_vi: true, paper_fig3b_bounds: true } satisfies Record<E4Figure, true>;
export const E6_FIGURES = { curves_similar: true, curves_dissimilar: true } satisfies Record<E6Figure, true>;

// @ts-expect-error a figure E1 does not draw (the real one is learning_curves)
export const misspelt: E1Figure = 'learning_curve';

/** Never called: what notebook cells write, checked by the type check only. */
export async function notebookCells(e7Experiment: typeof e7QValueStability): Promise<void> {
  const e4 = await runExperiment(e4BoundAlongVI);
  void e4.figures.objectives_along_vi;
  // @ts-expect-error E4 has no such figure
  void e4.figures.objectives;
  const e7 = await referenceOrRun(e7Experiment, { trainNow: null });
  const key: E7Figure = 'crossing';
  void e7.report.figures[key];
  // @ts-expect-error E7's figures are q_gap, crossing and Stage A's stage_a_mle, stage_a_mnm, stage_a_overpromise
  void e7.report.figures.q_values;
}

test('the figure keys the type names are the ones the report draws, per setting (E4 at smoke scale)', async () => {
  const both = await runExperiment(e4BoundAlongVI, { scale: 'smoke' });
  assert.deepEqual(Object.keys(both.figures).sort(), Object.keys(E4_FIGURES).sort());
  const project = await runExperiment(e4BoundAlongVI, { scale: 'smoke', config: { setting: 'project' } });
  assert.deepEqual(Object.keys(project.figures), ['objectives_along_vi'], 'a setting that did not run leaves its figures out');
});
