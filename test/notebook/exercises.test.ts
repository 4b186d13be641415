// Every notebook exercise, run with its right answer (computed by the library) and with a wrong one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExperiment } from '../../lib/experiment';
import { e6Transfer } from '../../lib/experiments/e6-transfer';
import {
  E6_CONTROL,
  E6_SIMILAR_FASTER,
  type E6TargetRow,
  judge,
  KL_AT_TRUTH,
  OPTIMISTIC_TILT,
  WIND_03,
} from '../../lib/notebook/exercises';
import { solveRiskMDP, RISK_MDP_DEFAULTS } from '../../lib/tabular/risk-mdp';

test('primer exercises: the right answers are judged right, wrong ones wrong, a missing one asks for it', () => {
  assert.equal(judge(KL_AT_TRUTH, 0, undefined).right, true);
  assert.equal(judge(KL_AT_TRUTH, 0.5, undefined).right, false);
  assert.equal(judge(OPTIMISTIC_TILT, 'more', undefined).right, true);
  assert.equal(judge(OPTIMISTIC_TILT, 'less', undefined).right, false);
  const vmbpo = solveRiskMDP({ ...RISK_MDP_DEFAULTS, wind: 0.3 }).methods.find((m) => m.method === 'VMBPO')!.side;
  assert.equal(judge(WIND_03, vmbpo, undefined).right, true);
  assert.equal(judge(WIND_03, vmbpo === 'Left' ? 'Right' : 'Left', undefined).right, false);
  assert.match(judge(WIND_03, vmbpo, undefined).markdown, /Q\(Center, left\) = .*Q\(Center, right\) = /);
  assert.equal(judge(WIND_03, undefined, undefined).right, null);
  assert.match(judge(OPTIMISTIC_TILT, 'sideways' as 'more', undefined).markdown, /not one of `more`, `less`/);
});

test('E6 exercises are judged against the rows of the run', () => {
  const rows: E6TargetRow[] = [
    { target: 'similar', start: 'transfer', updates_to_good_mean: 100 },
    { target: 'similar', start: 'scratch', updates_to_good_mean: 300 },
    { target: 'similar', start: 'true-p', updates_to_good_mean: 200 },
  ];
  assert.equal(judge(E6_SIMILAR_FASTER, 'transfer', rows).right, true);
  assert.equal(judge(E6_SIMILAR_FASTER, 'scratch', rows).right, false);
  assert.equal(judge(E6_CONTROL, 'slower', rows).right, true);
  assert.equal(judge(E6_CONTROL, 'faster', rows).right, false);
});

test("notebook 06's parameters reach the experiment: a bad one is one error naming it", async () => {
  await assert.rejects(runExperiment(e6Transfer, { scale: 'smoke', seeds: 1, config: { epsilon: 2 } }), /epsilon/);
});
