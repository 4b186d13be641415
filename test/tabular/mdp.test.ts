import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeKernel, makeMDP, makeMDPFromArrays } from '../../lib/tabular/mdp';
import { valueIteration } from '../../lib/tabular/solve';

const row = (next: number[], prob: number[]) => ({ next, prob });
const ok = { S: 2, A: 1, rows: [[row([0, 1], [0.5, 0.5])], [row([1], [1])]], reward: [1, 2], gamma: 0.9, p0: 0 };

test('makeMDP: every violation names the state, action and value', () => {
  const bad: [object, RegExp][] = [
    [{ rows: [[row([0, 1], [0.5, 0.4])], [row([1], [1])]] }, /state 0, action 0: probabilities sum to 0.9, not 1/],
    [{ rows: [[row([0, 2], [0.5, 0.5])], [row([1], [1])]] }, /state 0, action 0: successor index 2 out of range \[0, 2\)/],
    [{ rows: [[row([0, 1], [1.5, -0.5])], [row([1], [1])]] }, /state 0, action 0: probability of successor 1 is -0.5/],
    [{ rows: [[row([0, 1], [0.5, 0.5])], [row([], [])]] }, /state 1, action 0: no successors/],
    [{ rows: [[row([0, 1], [0.5, 0.5])], [row([1], [1, 0])]] }, /state 1, action 0: 1 successors but 2 probabilities/],
    [{ rows: [[row([0, 1], [0.5, NaN])], [row([1], [1])]] }, /probability of successor 1 is NaN/],
    [{ reward: [1, 0] }, /reward of state 1, action 0 is 0; must be > 0/],
    [{ reward: [1, Infinity] }, /reward of state 1, action 0 is Infinity; must be a finite number/],
    [{ reward: [1] }, /reward must have 2×1 = 2 entries, got 1/],
    [{ gamma: 1 }, /discount gamma must be in \(0, 1\), got 1/],
    [{ gamma: 0 }, /discount gamma must be in \(0, 1\), got 0/],
    [{ p0: 2 }, /start state 2 out of range \[0, 2\)/],
    [{ p0: [0.5, 0.6] }, /initial distribution sums to 1.1, not 1/],
    [{ p0: [1] }, /initial distribution has 1 entries, expected 2/],
    [{ S: 3 }, /expected rows for 3 states, got 2/],
  ];
  for (const [patch, re] of bad) assert.throws(() => makeMDP({ ...ok, ...patch } as never), re, JSON.stringify(patch));
  assert.throws(() => makeMDP({ ...ok, stateNames: ['home', 'away'], reward: [1, -1] }), /reward of state 1 \(away\), action 0 is -1/);
  assert.throws(() => makeKernel(2, 0, []), /number of actions must be a positive integer, got 0/);
  assert.ok(makeMDP({ ...ok, reward: [0, 1], positiveRewards: false }));
});

test('log E exp(γV) is computed stably: huge values do not overflow, far-below successors do not underflow', () => {
  // State 0: absorbing, reward 1000 (V = 10,000). State 1: absorbing, reward 0.01 (V = 0.1). With the global
  // shift m = γ·10,000, exp(γV(1) − m) underflows to 0; the row falls back to its own maximum.
  const mdp = makeMDP({
    S: 3,
    A: 1,
    rows: [[row([0], [1])], [row([1], [1])], [row([0, 1], [0.5, 0.5])]],
    reward: [1000, 0.01, 1],
    gamma: 0.9,
    p0: 2,
  });
  const r = valueIteration(mdp, 'vmbpo');
  assert.ok(Math.abs(r.V[0] - 10000) < 1e-6);
  assert.ok(Math.abs(r.V[1] - 0.1) < 1e-9, `V(1) = ${r.V[1]}`);
  // State 2: 1 + log(0.5 e^{γ·10000} + 0.5 e^{γ·0.1}) = 1 + γ·10000 + log 0.5 (the second term is negligible).
  assert.ok(Math.abs(r.V[2] - (1 + 9000 + Math.log(0.5))) < 1e-6);
  for (const layout of ['csr', 'blocks'] as const) assert.deepEqual(valueIteration(mdp, 'vmbpo', { layout }).V, r.V);
});

test('makeMDPFromArrays: a kernel in compressed rows gets the same checks and errors as makeMDP', () => {
  const rowStart = Int32Array.from([0, 2, 3]);
  const ok = () => ({ next: Int32Array.from([0, 1, 1]), prob: Float64Array.from([0.5, 0.5, 1]) });
  const extras = { reward: [1, 2], gamma: 0.9, p0: 0 };
  const mdp = makeMDPFromArrays(2, 1, rowStart, ok().next, ok().prob, extras);
  assert.deepEqual(mdp, makeMDP({ S: 2, A: 1, rows: [[{ next: [0, 1], prob: [0.5, 0.5] }], [{ next: [1], prob: [1] }]], ...extras }));
  const bad: [Partial<ReturnType<typeof ok>> & { rowStart?: Int32Array }, RegExp][] = [
    [{ next: Int32Array.from([0, 2, 1]) }, /MDP: state 0, action 0: successor index 2 out of range \[0, 2\)/],
    [{ prob: Float64Array.from([0.5, 0.4, 1]) }, /MDP: state 0, action 0: probabilities sum to 0.9, not 1/],
    [{ prob: Float64Array.from([0.5, 0.5, NaN]) }, /MDP: state 1, action 0: probability of successor 1 is NaN/],
    [{ rowStart: Int32Array.from([0, 3, 3]), prob: Float64Array.from([0.5, 0.5, 0]) }, /MDP: state 1, action 0: no successors/],
    [{ rowStart: Int32Array.from([0, 2]) }, /MDP: rowStart has 2 entries, expected 2×1 \+ 1/],
    [{ rowStart: Int32Array.from([0, 2, 4]) }, /MDP: rowStart must run from 0 to the 3 stored transitions/],
  ];
  for (const [patch, re] of bad) {
    const k = { ...ok(), rowStart, ...patch };
    assert.throws(() => makeMDPFromArrays(2, 1, k.rowStart, k.next, k.prob, extras), re);
  }
  assert.throws(
    () => makeMDPFromArrays(2, 1, rowStart, ok().next, ok().prob, { ...extras, reward: [1, 0] }),
    /reward of state 1, action 0 is 0/,
  );
  // Row objects with a fractional successor index are refused, not truncated into the Int32Array.
  assert.throws(() => makeKernel(2, 1, [[{ next: [0.5], prob: [1] }], [{ next: [1], prob: [1] }]]), /successor index 0.5 out of range/);
});
