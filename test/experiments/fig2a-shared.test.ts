// Fig. 2a left under the paper's settings is computed by E1 (its paper setting) and by E12 (its paper column): both draw
// every method of seed k from the figure's own stream, so they print the same numbers, and the methods of a seed share it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gather, runExperiment } from '../../lib/experiment';
import { e1GridworldOptimism } from '../../lib/experiments/e1-gridworld-optimism';
import { e12TabularSensitivity } from '../../lib/experiments/e12-tabular-sensitivity';
import { Rng } from '../../lib/rng';
import { fig2aGrid, fig2aLeftRuns, fig2aLeftStream, PAPER_KNOBS, sampleConfig } from '../../lib/tabular/paper-figures';
import { runSampleLearner, SAMPLE_METHODS_WITH_CONTROL } from '../../lib/tabular/sample-learner';

test("E1's paper setting and E12's paper column give the same Fig. 2a left curves, seed by seed", async () => {
  const e1 = await runExperiment(e1GridworldOptimism, { scale: 'smoke', config: { setting: 'paper' } });
  const e12 = await runExperiment(e12TabularSensitivity, { scale: 'smoke' });
  const key = (r: { seed: number; method: string; iteration: number }) => `${r.seed}/${r.method}/${r.iteration}`;
  const fromE12 = new Map(
    gather(e12.results, 'curves')
      .filter((r) => r.column === 'paper')
      .map((r) => [key(r), r.ret]),
  );
  const fromE1 = e1.results.flatMap(
    (r) => (r.tables['paper/authors_curves'] ?? []) as { seed: number; method: string; iteration: number; ret: number }[],
  );
  const shared = fromE1.filter((r) => r.method !== 'q-learning-log');
  assert.ok(shared.length > 0 && shared.length === fromE12.size, `${shared.length} points in E1, ${fromE12.size} in E12`);
  for (const r of shared) assert.equal(r.ret, fromE12.get(key(r)), key(r));
  // The claims built on them agree too.
  const e1Claim = e1.claims.find((c) => c.id === 'E1.paper.mnm-ends-above');
  assert.ok(
    e1Claim && e12.claims.find((c) => c.id === 'E12.fig2a-left-mnm-ends-above')?.measured.includes(e1Claim.measured.split('. ')[0]),
  );
});

test('common random numbers: every method of a seed draws the same stream; another seed draws another', () => {
  const g = fig2aGrid(PAPER_KNOBS);
  const cfg = sampleConfig(PAPER_KNOBS, 41);
  const first = (rng: Rng) => [rng.uniform(), rng.uniform()];
  assert.deepEqual(first(fig2aLeftStream(3)), first(fig2aLeftStream(3)));
  assert.notDeepEqual(first(fig2aLeftStream(3)), first(fig2aLeftStream(4)));
  // fig2aLeftRuns runs every method on the seed's one stream (no per-method fork).
  const pts = fig2aLeftRuns(PAPER_KNOBS, [3], 41, SAMPLE_METHODS_WITH_CONTROL);
  for (const m of SAMPLE_METHODS_WITH_CONTROL) {
    const alone = runSampleLearner(g.mdp, m, cfg, fig2aLeftStream(3)).map((p) => p.ret);
    assert.deepEqual(
      pts.filter((p) => p.method === m).map((p) => p.ret),
      alone,
      m,
    );
  }
  assert.notDeepEqual(
    runSampleLearner(g.mdp, 'q-learning', cfg, fig2aLeftStream(3)),
    runSampleLearner(g.mdp, 'q-learning', cfg, fig2aLeftStream(4)),
  );
});
