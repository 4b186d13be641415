// Every notebook exercise, run with its right answer (computed by the library) and with a wrong one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { runExperiment, type SeedResult } from '../../lib/experiment';
import { E1_VARIANTS, e1GridworldOptimism } from '../../lib/experiments/e1-gridworld-optimism';
import { E2_VARIANTS, e2CapacityLimited } from '../../lib/experiments/e2-capacity-limited';
import { e3RiskMDP } from '../../lib/experiments/e3-risk-mdp';
import { e4BoundAlongVI } from '../../lib/experiments/e4-bound-along-vi';
import { e5BoundProperties } from '../../lib/experiments/e5-bound-properties';
import { type E6Tables, e6Transfer } from '../../lib/experiments/e6-transfer';
import { fmt } from '../../lib/stats';
import {
  E6_CONTROL,
  E6_SIMILAR_FASTER,
  judge,
  KL_AT_TRUTH,
  OPTIMISTIC_TILT,
  WIND_03,
  E1_FASTER,
  E1_LOG_R_START,
  E1_TILT,
  E2_WALL_P,
  E2_ABLATION,
  E2_CLIP,
  E3_MNM_SIDE,
  E3_NO_WIND,
  E4_VMBPO_ABOVE,
  E5_ANY_ABOVE,
  E5_DETERMINISTIC_ZERO,
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

test('E6 exercises are judged against the results of the run', () => {
  const row = (seed: number, start: 'transfer' | 'scratch' | 'true-p', updates: number) => ({
    seed,
    target: 'similar',
    start,
    updates_to_good: updates,
    reached_good: true,
    mean_norm_return: 0.5,
    final_norm_return: 0.9,
  });
  // Means: transfer 110, scratch 280, true p 210.
  const results: SeedResult<E6Tables>[] = [
    { tables: { curves: [], source: [], summary: [row(0, 'transfer', 100), row(0, 'scratch', 300), row(0, 'true-p', 200)] } },
    { tables: { curves: [], source: [], summary: [row(1, 'transfer', 120), row(1, 'scratch', 260), row(1, 'true-p', 220)] } },
  ];
  assert.equal(judge(E6_SIMILAR_FASTER, 'transfer', results).right, true);
  assert.equal(judge(E6_SIMILAR_FASTER, 'scratch', results).right, false);
  assert.match(judge(E6_SIMILAR_FASTER, 'scratch', results).markdown, /transfer 110, scratch 280/);
  assert.equal(judge(E6_CONTROL, 'slower', results).right, true);
  assert.equal(judge(E6_CONTROL, 'faster', results).right, false);
});

test("E6 exercises read the same means as the report's by_target table", async () => {
  const rep = await runExperiment(e6Transfer, { scale: 'smoke', seeds: 2 });
  const shown = rep.tables.by_target.filter(pl.col('target').eq(pl.lit('similar'))).toRecords();
  const mean = (start: string) => fmt(Number(shown.find((r) => r.start === start)?.updates_to_good_mean));
  assert.match(
    judge(E6_SIMILAR_FASTER, 'transfer', rep.results).markdown,
    new RegExp(`transfer ${mean('transfer')}, scratch ${mean('scratch')}`),
  );
});

test("notebook 06's parameters reach the experiment: a bad one is one error naming it", async () => {
  await assert.rejects(runExperiment(e6Transfer, { scale: 'smoke', seeds: 1, config: { epsilon: 2 } }), /epsilon/);
});

test('notebook 01–04 exercises computed from the library: known answers right, others wrong', () => {
  assert.equal(judge(E1_LOG_R_START, 20, undefined).right, true); // r_max/(1−γ) = 1/0.05 on the E1 map
  assert.equal(judge(E1_LOG_R_START, 1, undefined).right, false);
  assert.equal(judge(E1_TILT, 'toward', undefined).right, true);
  assert.equal(judge(E1_TILT, 'away from', undefined).right, false);
  assert.equal(judge(E2_WALL_P, 0, undefined).right, true);
  assert.equal(judge(E2_WALL_P, 0.2, undefined).right, false);
  const defaults = { ...RISK_MDP_DEFAULTS };
  const side = (p: typeof defaults, m: string) => solveRiskMDP(p).methods.find((x) => x.method === m)!.side;
  const other = (s: 'Left' | 'Right') => (s === 'Left' ? 'Right' : 'Left');
  assert.equal(judge(E3_MNM_SIDE, side(defaults, 'MnM'), defaults).right, true);
  assert.equal(judge(E3_MNM_SIDE, other(side(defaults, 'MnM')), defaults).right, false);
  const calm = { ...defaults, wind: 0 };
  assert.equal(judge(E3_NO_WIND, side(calm, 'VMBPO'), defaults).right, true);
  assert.equal(judge(E3_NO_WIND, other(side(calm, 'VMBPO')), defaults).right, false);
});

test('notebook 01–04 exercises are judged against the report of the run', () => {
  const e1 = {
    tables: {
      by_method: pl.DataFrame(E1_VARIANTS.map((v, i) => ({ method: v.label, updates_to_good_mean: v.key === 'q-true' ? 100 : 1000 + i }))),
    },
  };
  assert.equal(judge(E1_FASTER, 'Q-learning', e1).right, true);
  assert.equal(judge(E1_FASTER, 'MnM', e1).right, false);
  const e2 = {
    tables: {
      by_method: pl.DataFrame(
        E2_VARIANTS.map((v) => ({
          method: v.label,
          success_rate: v.key === 'oracle-clip30' ? 1 : v.key === 'mnm-no-classifier' ? 0.5 : 0,
        })),
      ),
    },
  };
  assert.equal(judge(E2_ABLATION, 'no', e2).right, true); // 0.5 is not most seeds
  assert.equal(judge(E2_ABLATION, 'yes', e2).right, false);
  assert.equal(judge(E2_CLIP, '±30', e2).right, true);
  assert.equal(judge(E2_CLIP, 'same', e2).right, false);
  const e4 = {
    tables: {
      along: pl.DataFrame([
        { run: 'vmbpo', iteration: 1, vmbpo_objective: 0.1, J: 0.2 },
        { run: 'vmbpo', iteration: 2, vmbpo_objective: 3, J: 2 },
      ]),
    },
  };
  assert.equal(judge(E4_VMBPO_ABOVE, 'above', e4).right, true);
  assert.equal(judge(E4_VMBPO_ABOVE, 'below', e4).right, false);
  const e5 = {
    tables: {
      triples_summary: pl.DataFrame([
        { model: 'true', min_gap: 0 },
        { model: 'random', min_gap: 0.5 },
      ]),
      optima: pl.DataFrame([
        { dynamics: 'deterministic', gap_at_optimum: 0 },
        { dynamics: 'deterministic', gap_at_optimum: 0.3 },
        { dynamics: 'stochastic', gap_at_optimum: 0 },
      ]),
    },
  };
  assert.equal(judge(E5_ANY_ABOVE, 'no', e5).right, true);
  assert.equal(judge(E5_ANY_ABOVE, 'yes', e5).right, false);
  assert.equal(judge(E5_DETERMINISTIC_ZERO, 'sometimes', e5).right, true);
  assert.equal(judge(E5_DETERMINISTIC_ZERO, 'always', e5).right, false);
});

test("notebooks 01–04's parameters reach their experiments: a bad one is one error naming it", async () => {
  await assert.rejects(
    runExperiment(e1GridworldOptimism, { scale: 'smoke', seeds: 1, config: { qLr: 0 } }),
    /config\.qLr must be in \(0, 1\]/,
  );
  await assert.rejects(
    runExperiment(e2CapacityLimited, { scale: 'smoke', seeds: 1, config: { logitClip: -1 } }),
    /config\.logitClip must be > 0/,
  );
  await assert.rejects(
    runExperiment(e3RiskMDP, { scale: 'smoke', seeds: 1, config: { gamma: 2 } }),
    /config\.gamma must be in \(0, 1\), got 2/,
  );
  await assert.rejects(
    runExperiment(e4BoundAlongVI, { scale: 'smoke', config: { recordEvery: 0 } }),
    /config\.recordEvery must be an integer >= 1/,
  );
  await assert.rejects(
    runExperiment(e5BoundProperties, { scale: 'smoke', config: { triples: 1.5 } }),
    /config\.triples must be an integer >= 1/,
  );
});
