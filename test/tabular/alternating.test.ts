import assert from 'node:assert/strict';
import { test } from 'node:test';
import { alternatingProcedure, blockAveraging } from '../../lib/tabular/alternating';
import { makeGridworld } from '../../lib/tabular/gridworld';
import { dataMap, loadGridMap } from '../../lib/tabular/map-files';
import { policyReturn, valueIteration } from '../../lib/tabular/solve';

const fig2a = () => loadGridMap(dataMap('paper-fig2a-10x10.txt'));

// The authors' notebook prints max |q − q_new| every 10 iterations and the iteration it stops at; the
// procedure here must reproduce those printed numbers (they differ only by the evaluation's 1e-6 tolerance).
test('alternating procedure reproduces the changes the authors printed for Fig. 2a right and Fig. 3b', () => {
  const cases = [
    { rewards: { '.': 1e-5, S: 1e-5, G: 1e9 }, printed: [0.857286543175779, 0.002676412798026717, 4.242812147170483e-6], iterations: 24 },
    { rewards: { '.': 1, S: 1, G: 10 }, printed: [0.09792465318061616, 0.00027014772344491345], iterations: 20 },
  ];
  for (const c of cases) {
    const g = makeGridworld(fig2a(), { rewards: c.rewards });
    const changes: number[] = [];
    const r = alternatingProcedure(g.mdp, { objective: 'mnm', onIteration: (it) => changes.push(it.change) });
    assert.ok(r.converged);
    assert.equal(r.iterations, c.iterations);
    c.printed.forEach((x, i) =>
      assert.ok(Math.abs(changes[10 * i] - x) < 1e-8 * Math.max(1, x), `iteration ${10 * i + 1}: ${changes[10 * i]} vs ${x}`),
    );
  }
});

test('with the return reward and q fixed to p, the procedure finds a return-optimal policy', () => {
  const g = makeGridworld(fig2a(), { rewards: { '.': 1, S: 1, G: 10 } });
  const r = alternatingProcedure(g.mdp, { objective: 'return' });
  assert.ok(r.converged);
  const jOpt = policyReturn(g.mdp, valueIteration(g.mdp, 'return').policy);
  assert.ok(Math.abs(policyReturn(g.mdp, r.greedy) - jOpt) < 1e-6 * jOpt);
});

test('block averaging: rows stay distributions and every cell of a 3×3 block shares its move distribution', () => {
  const g = makeGridworld(loadGridMap(dataMap('paper-fig2b-15x15.txt')));
  const cap = blockAveraging(g);
  const r = alternatingProcedure(g.mdp, { objective: 'mnm', capacity: cap, klClip: 5, maxIterations: 5, stop: false });
  const { S, A } = g.mdp;
  const moveDist = (s: number, a: number) => {
    const [r0, c0] = g.cellOf(s);
    const m = new Map<string, number>();
    for (let k = r.q.rowStart[s * A + a]; k < r.q.rowStart[s * A + a + 1]; k++) {
      const [r1, c1] = g.cellOf(r.q.next[k]);
      m.set(`${r1 - r0},${c1 - c0}`, (m.get(`${r1 - r0},${c1 - c0}`) ?? 0) + r.q.prob[k]);
    }
    return m;
  };
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      let sum = 0;
      for (let k = r.q.rowStart[s * A + a]; k < r.q.rowStart[s * A + a + 1]; k++) sum += r.q.prob[k];
      assert.ok(Math.abs(sum - 1) < 1e-12);
    }
  }
  // An interior block (rows 9–11, columns 3–5): no border clipping, so the move distributions are equal.
  const cells = [9, 10, 11].flatMap((row) => [3, 4, 5].map((col) => g.stateAt(row, col)));
  for (let a = 0; a < A; a++) {
    const ref = moveDist(cells[0], a);
    for (const s of cells) for (const [m, p] of moveDist(s, a)) assert.ok(Math.abs(p - (ref.get(m) ?? 0)) < 1e-12, `${s} ${a} ${m}`);
  }
  assert.throws(() => blockAveraging(makeGridworld(fig2a())), /walls that are not states; declare 'walls: states'/);
});

test('bad options get one clear error naming the option', () => {
  const g = makeGridworld(fig2a());
  for (const tau of [0, -0.5, 1.5, NaN])
    assert.throws(() => alternatingProcedure(g.mdp, { objective: 'mnm', tau }), /tau must be in \(0, 1\]/);
  assert.doesNotThrow(() => alternatingProcedure(g.mdp, { objective: 'mnm', tau: 1, maxIterations: 2 }));
  assert.throws(() => alternatingProcedure(g.mdp, { objective: 'bogus' as 'mnm' }), /objective must be one of mnm, vmbpo, return/);
  assert.throws(() => alternatingProcedure(g.mdp, { objective: 'mnm', klClip: 0 }), /klClip must be > 0 or null/);
  assert.throws(() => alternatingProcedure(g.mdp, { objective: 'mnm', maxIterations: 1.5 }), /maxIterations must be a positive integer/);
});
