import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../../lib/rng';
import { gridKeys } from '../../lib/tabular/classifier';
import { makeGridworld, openGridMap, parseGridMap } from '../../lib/tabular/gridworld';
import { blockStructure, fullStructure, gridMoveStructure, LearnedModel } from '../../lib/tabular/learned-model';
import { DEFAULT_LEARNER, exactLogRatios, methodReward, METHODS, trainLearner, type LearnerConfig } from '../../lib/tabular/mnm-agent';
import { likelyPath, reachProbability } from '../../lib/tabular/progress';
import { greedyAction } from '../../lib/tabular/q-learning';
import { deterministicPolicy } from '../../lib/tabular/mdp';
import { policyReturn, valueIteration } from '../../lib/tabular/solve';

const small = () => makeGridworld(openGridMap(4, 4), { noise: 0.2, gamma: 0.9 });
const problemOf = (g: ReturnType<typeof small>) => ({
  mdp: g.mdp,
  goal: g.goal,
  structure: gridMoveStructure(g),
  classifierKeys: gridKeys(g, 'full'),
});

test('greedyAction breaks ties uniformly at random', () => {
  const Q = new Float64Array([1, 3, 3, 3]);
  const rng = new Rng('ties');
  const counts = [0, 0, 0, 0];
  for (let i = 0; i < 30000; i++) counts[greedyAction(Q, 0, 4, rng)]++;
  assert.equal(counts[0], 0);
  for (const a of [1, 2, 3]) assert.ok(Math.abs(counts[a] / 30000 - 1 / 3) < 0.02, `action ${a}: ${counts[a]}`);
});

test('Q-learning on the true model converges to the optimal Q (small noisy grid)', () => {
  const g = small();
  const cfg: LearnerConfig = {
    ...DEFAULT_LEARNER,
    updates: 60000,
    evalEvery: 60000,
    qLr: 0.05,
    epsilon: 1,
    episodeLength: 20,
    reachHorizon: 20,
  };
  const res = trainLearner(problemOf(g), 'q-true', cfg, new Rng('q'));
  const { Q } = valueIteration(g.mdp, 'return');
  let worst = 0;
  for (let i = 0; i < Q.length; i++) worst = Math.max(worst, Math.abs(res.Q[i] - Q[i]) / Math.abs(Q[i]));
  assert.ok(worst < 0.1, `largest relative error ${worst}`);
});

test("'q-true-log' is Q-learning on r started at Q0 = r_max/(1−γ) when r takes two values (affine equivalence)", () => {
  const g = small();
  // ε = 1: the same random actions in both runs, so only the updates are compared (with greedy choices,
  // rounding can break a tie differently in the two runs and the streams then part).
  const cfg: LearnerConfig = { ...DEFAULT_LEARNER, updates: 3000, evalEvery: 500, epsilon: 1 };
  const log = trainLearner(problemOf(g), 'q-true-log', cfg, new Rng('same'));
  const rFree = 0.01;
  const rGoal = 1;
  const a = (Math.log(rGoal) - Math.log(rFree)) / (rGoal - rFree);
  const b = Math.log(rFree) - a * rFree;
  const opt = trainLearner(problemOf(g), 'q-true', { ...cfg, qInit: -b / (a * (1 - g.mdp.gamma)) }, new Rng('same'));
  assert.ok(Math.abs(-b / (a * (1 - g.mdp.gamma)) - rGoal / (1 - g.mdp.gamma)) < 1e-9, 'Q0 = r_max/(1−γ)');
  for (let i = 0; i < log.Q.length; i++) assert.ok(Math.abs(log.Q[i] - (a * opt.Q[i] + b / (1 - g.mdp.gamma))) < 1e-9);
});

test('every method is deterministic given its seed, and seeds differ', () => {
  const g = small();
  const cfg: LearnerConfig = { ...DEFAULT_LEARNER, updates: 2000, evalEvery: 500 };
  for (const m of METHODS) {
    const a = trainLearner(problemOf(g), m, cfg, new Rng('det'));
    const b = trainLearner(problemOf(g), m, cfg, new Rng('det'));
    assert.deepEqual(Array.from(a.Q), Array.from(b.Q), m);
    const c = trainLearner(problemOf(g), m, cfg, new Rng('other'));
    assert.notDeepEqual(Array.from(a.Q), Array.from(c.Q), m);
  }
});

test('MnM learns to reach the goal on a small noisy grid (3 seeds)', () => {
  const g = small();
  const cfg: LearnerConfig = { ...DEFAULT_LEARNER, updates: 15000, evalEvery: 5000, episodeLength: 20, reachHorizon: 20 };
  const jStar = policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
  for (const seed of [0, 1, 2]) {
    const res = trainLearner(problemOf(g), 'mnm', cfg, new Rng(`small-${seed}`));
    const last = res.curve[res.curve.length - 1];
    assert.ok(last.reaches, `seed ${seed}`);
    assert.ok(last.ret > 0.9 * jStar, `seed ${seed}: J = ${last.ret}, J* = ${jStar}`);
  }
});

test('the rewards of the methods (Eq. 5 for MnM, no log for VMBPO)', () => {
  assert.equal(methodReward('q-true', 0.5, Math.log(0.5), 3), 0.5);
  assert.equal(methodReward('q-true-log', 0.5, Math.log(0.5), 3), Math.log(0.5));
  assert.equal(methodReward('mnm', 0.5, Math.log(0.5), -2), Math.log(0.5) - 2);
  assert.equal(methodReward('vmbpo', 0.5, Math.log(0.5), -2), 0.5 - 2);
  assert.equal(methodReward('mnm-no-classifier', 0.5, Math.log(0.5), -2), Math.log(0.5));
});

test('exact log p/q is 0 for a model equal to p and −∞ where p has no mass', () => {
  const g = makeGridworld(parseGridMap('S.#\n..G', 'tiny'), { noise: 0.2 });
  const st = fullStructure(g.mdp);
  // Logits = log p: q = p on the support.
  const m = new LearnedModel(
    st,
    Float64Array.from(st.target, (_, k) => Math.log(g.mdp.prob[k])),
  );
  const q = new Float64Array(m.maxRowSize);
  const out = new Float64Array(m.maxRowSize);
  exactLogRatios(g.mdp, m, 0, 3, q, out);
  for (let j = 0; j < st.rowStart[4] - st.rowStart[3]; j++) assert.ok(Math.abs(out[j]) < 1e-12);
  const other = new LearnedModel(gridMoveStructure(g));
  exactLogRatios(g.mdp, other, g.goal, 0, q, out);
  assert.ok(out.includes(-Infinity));
});

test('learner configs and problems are checked with one clear error', () => {
  const g = small();
  const p = problemOf(g);
  const r = new Rng(0);
  assert.throws(() => trainLearner(p, 'mnm', { ...DEFAULT_LEARNER, updates: 0 }, r), /updates must be a positive integer, got 0/);
  assert.throws(() => trainLearner(p, 'mnm', { ...DEFAULT_LEARNER, qLr: NaN }, r), /qLr must be a finite number > 0, got NaN/);
  assert.throws(() => trainLearner(p, 'mnm', { ...DEFAULT_LEARNER, epsilon: 2 }, r), /epsilon must be in \[0, 1\], got 2/);
  assert.throws(
    () => trainLearner(p, 'mnm', { ...DEFAULT_LEARNER, modelGradient: 'magic' as never }, r),
    /modelGradient must be 'exact' or 'sampled'/,
  );
  assert.throws(() => trainLearner(p, 'sarsa' as never, DEFAULT_LEARNER, r), /unknown method 'sarsa'/);
  assert.throws(() => trainLearner({ ...p, goal: 99 }, 'mnm', DEFAULT_LEARNER, r), /goal 99 out of range/);
  const other = new LearnedModel(blockStructure(g));
  assert.throws(() => trainLearner(p, 'mnm', DEFAULT_LEARNER, r, { initModel: other }), /initModel has a different structure/);
});

test('progress: the most likely path and the exact reach probability of a fixed policy', () => {
  const g = makeGridworld(openGridMap(3, 3), { noise: 0 });
  // Right, right, then down: every state's action.
  const actions = Array.from({ length: g.mdp.S }, (_, s) => (g.cellOf(s)[1] < 2 ? 3 : 1));
  const pi = deterministicPolicy(g.mdp.S, 4, actions);
  const path = likelyPath(g.mdp, pi, g.start, g.goal);
  assert.deepEqual(
    path.map((s) => g.cellOf(s).join(',')),
    ['0,0', '0,1', '0,2', '1,2', '2,2'],
  );
  assert.equal(reachProbability(g.mdp, pi, g.goal, 4), 1);
  assert.equal(reachProbability(g.mdp, pi, g.goal, 3), 0);
  const noisy = makeGridworld(openGridMap(3, 3), { noise: 0.5 });
  const pr = reachProbability(noisy.mdp, pi, noisy.goal, 4);
  assert.ok(pr > 0 && pr < 1);
});
