import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeGridworld, openGridMap, parseGridMap } from '../../lib/tabular/gridworld';
import { loadGridMap } from '../../lib/tabular/map-files';
import { rowRange } from '../../lib/tabular/mdp';

function successors(g: ReturnType<typeof makeGridworld>, s: number, a: number): Map<number, number> {
  const [lo, hi] = rowRange(g.mdp, s, a);
  const m = new Map<number, number>();
  for (let k = lo; k < hi; k++) m.set(g.mdp.next[k], g.mdp.prob[k]);
  return m;
}

test('the E1 map loads: 10×10 open grid, header values, start and goal', () => {
  const map = loadGridMap('data/e1-open-10x10.txt');
  assert.equal(map.rows, 10);
  assert.equal(map.cols, 10);
  assert.deepEqual(map.start, [0, 0]);
  assert.deepEqual(map.goal, [9, 9]);
  assert.equal(map.noise, 0.2);
  assert.equal(map.gamma, 0.95);
  const g = makeGridworld(map);
  assert.equal(g.mdp.S, 100);
  assert.equal(g.mdp.A, 4);
  assert.equal(g.mdp.gamma, 0.95);
  assert.equal(g.mdp.p0[g.start], 1);
  assert.deepEqual(g.cellOf(g.goal), [9, 9]);
  assert.equal(g.mdp.reward[g.goal * 4], 1);
  assert.equal(g.mdp.reward[g.start * 4 + 2], 0.01);
});

test('noise: intended move 1−ε+ε/4, every other move ε/4; blocked moves stay put and merge', () => {
  const g = makeGridworld(loadGridMap('data/e1-open-10x10.txt'), { noise: 0.2 });
  const mid = g.stateAt(4, 4);
  const right = successors(g, mid, 3);
  assert.equal(right.size, 4);
  assert.ok(Math.abs(right.get(g.stateAt(4, 5))! - 0.85) < 1e-12);
  for (const [r, c] of [
    [3, 4],
    [5, 4],
    [4, 3],
  ])
    assert.ok(Math.abs(right.get(g.stateAt(r, c))! - 0.05) < 1e-12);
  // Corner (0,0), action up: up and left are blocked, so staying has 0.8 + 0.05 + 0.05.
  const up = successors(g, g.start, 0);
  assert.equal(up.size, 3);
  assert.ok(Math.abs(up.get(g.start)! - 0.9) < 1e-12);
  assert.ok(Math.abs(up.get(g.stateAt(1, 0))! - 0.05) < 1e-12);
  assert.ok(Math.abs(up.get(g.stateAt(0, 1))! - 0.05) < 1e-12);
  assert.equal(g.moveTarget(g.start, 0), g.start);
  assert.equal(g.moveTarget(g.start, 1), g.stateAt(1, 0));
});

test('the goal is absorbing; walls are not states and block moves', () => {
  const map = parseGridMap('S#.\n..G\n', 'walls');
  const g = makeGridworld(map, { noise: 0.4, gamma: 0.9 });
  assert.equal(g.mdp.S, 5);
  assert.equal(g.stateAt(0, 1), -1);
  assert.equal(g.stateAt(-1, 0), -1);
  assert.equal(g.moveTarget(g.start, 3), g.start); // into the wall
  for (let a = 0; a < 4; a++) {
    assert.deepEqual([...successors(g, g.goal, a)], [[g.goal, 1]]);
    assert.equal(g.moveTarget(g.goal, a), g.goal);
  }
});

test('per-cell rewards from header letters; options override the header', () => {
  const map = parseGridMap('reward.free: 0.1\nreward.goal: 2\nreward.x: 0.5\nreward.start: 0.3\n\nSx.\n..G', 'letters');
  const g = makeGridworld(map, { rewards: { '.': 0.2 } });
  assert.equal(g.mdp.reward[g.stateAt(0, 1) * 4], 0.5);
  assert.equal(g.mdp.reward[g.stateAt(0, 2) * 4], 0.2);
  assert.equal(g.mdp.reward[g.start * 4], 0.3);
  assert.equal(g.mdp.reward[g.goal * 4], 2);
});

test('malformed maps get one clear error naming source:line:col', () => {
  const bad: [string, RegExp][] = [
    ['S..\n..\n..G', /m:2:3: grid row has width 2, expected 3/],
    ['S.?\n..G', /m:1:3: unknown cell '\?'/],
    ['S.S\n..G', /m:1:3: second start cell 'S' \(the first is at m:1:1\)/],
    ['S..\n...', /m: the map has no goal cell 'G'/],
    ['...\n..G', /m: the map has no start cell 'S'/],
    ['speed: 3\nS.G', /m:1:1: unknown header key 'speed'/],
    ['noise: 1.5\nS.G', /m:1:8: noise must be in \[0, 1\], got 1.5/],
    ['gamma: one\nS.G', /m:1:8: gamma must be a finite number, got 'one'/],
    ['reward.goal: 0\nS.G', /m:1:14: reward.goal must be > 0/],
    ['reward.Q: 1\nS.G', /m:1:1: unknown reward kind 'Q'/],
    ['S.y\n..G', /m:1:3: cell 'y' has no reward; declare 'reward.y: value'/],
    ['S.G\n\n...', /m:3:1: unexpected text after the grid/],
    ['// only a comment\n', /m: no grid rows found/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseGridMap(text, 'm'), re, text);
  assert.throws(() => loadGridMap('data/no-such-map.txt'), /data\/no-such-map.txt: cannot read the map/);
  assert.throws(() => openGridMap(0, 3), /size must be positive integers/);
  assert.throws(() => openGridMap(3, 3, [0, 0], [3, 3]), /goal \(3,3\) is outside the 3×3 grid/);
  const map = openGridMap(3, 3);
  assert.throws(() => makeGridworld(map, { noise: -0.1 }), /noise must be in \[0, 1\], got -0.1/);
  assert.throws(() => makeGridworld(map, { gamma: 1 }), /gamma must be in \(0, 1\), got 1/);
  assert.throws(() => makeGridworld(map, { rewards: { '.': 0 } }), /reward of cell kind '.' must be finite and > 0, got 0/);
  const g = makeGridworld(map);
  assert.throws(() => g.moveTarget(0, 4), /move 4 is not one of 0..3/);
  assert.throws(() => g.cellOf(9), /state 9 out of range \[0, 9\)/);
});

test('a 300×300 grid is stored sparsely: 90,000 states, at most 5 successors per (s, a)', () => {
  const g = makeGridworld(openGridMap(300, 300));
  assert.equal(g.mdp.S, 90_000);
  assert.ok(g.mdp.next.length <= 5 * 4 * 90_000);
  assert.deepEqual(g.cellOf(g.goal), [299, 299]);
});

test('a goal walled off from the start is refused, naming the map and the unreachable cells', () => {
  const map = parseGridMap('S.#..\n..#.G\n..#..\n', 'walled.txt');
  assert.throws(
    () => makeGridworld(map),
    (err: Error) => {
      assert.match(err.message, /^walled\.txt: the goal \(1,4\) cannot be reached from the start \(0,0\)/);
      assert.match(err.message, /unreachable cells \(row,col\): \(0,3\) \(0,4\) \(1,3\) \(1,4\) \(2,3\) \(2,4\)$/);
      return true;
    },
  );
  // Cells cut off elsewhere are fine as long as the goal can be reached (they are just never visited).
  assert.equal(makeGridworld(parseGridMap('S..#.\n..G#.\n', 'pocket.txt')).mdp.S, 8);
  // Many unreachable cells: the first ten and the count.
  const big = parseGridMap(['S#' + '.'.repeat(20), '.#' + '.'.repeat(19) + 'G'].join('\n'), 'big.txt');
  assert.throws(() => makeGridworld(big), /\(0,11\), \.\.\. \(40 in all\)$/);
});

test('state names "(row,col)" are made when read, and match cellOf', () => {
  const g = makeGridworld(parseGridMap('S#.\n..G\n', 'names'));
  assert.deepEqual(g.mdp.stateNames, ['(0,0)', '(0,2)', '(1,0)', '(1,1)', '(1,2)']);
  assert.deepEqual(g.cellOf(1), [0, 2]);
});

test("the paper's maps: action order, noise over all A actions, a goal that is not absorbing, per-cell rewards", () => {
  const g = makeGridworld(loadGridMap('data/paper-fig2a-10x10.txt'));
  assert.deepEqual(g.actions, ['up', 'right', 'down', 'left']);
  assert.equal(g.mdp.S, 100 - 12);
  assert.equal(g.mdp.gamma, 0.9);
  assert.deepEqual(g.cellOf(g.goal), [0, 9]); // rows from the top
  assert.equal(g.mdp.reward[g.goal * 4 + 3], 10);
  assert.equal(g.mdp.reward[g.start * 4], 0.001);
  // From (6,6), "right": 1 − ε + ε/4 to (6,7), ε/4 to each other neighbour.
  const s = g.stateAt(6, 6);
  const right = successors(g, s, 1);
  assert.ok(Math.abs(right.get(g.stateAt(6, 7))! - (0.5 + 0.125)) < 1e-12);
  for (const [r, c] of [
    [5, 6],
    [7, 6],
    [6, 5],
  ])
    assert.ok(Math.abs(right.get(g.stateAt(r, c))! - 0.125) < 1e-12);
  // Not absorbing: "left" in the goal leads to (0,8) with 1 − ε + ε/4; "up" and "right" stay (clipped).
  const left = successors(g, g.goal, 3);
  assert.ok(Math.abs(left.get(g.stateAt(0, 8))! - 0.625) < 1e-12);
  assert.ok(Math.abs(left.get(g.goal)! - 0.25) < 1e-12);
  // A move into the wall block leaves the agent in place.
  assert.equal(g.moveTarget(g.stateAt(0, 3), 1), g.stateAt(0, 3));

  const b = makeGridworld(loadGridMap('data/paper-fig2b-15x15.txt'));
  assert.deepEqual(b.actions, ['up', 'right', 'down', 'left', 'stay']);
  assert.equal(b.mdp.S, 225); // walls are states
  assert.ok(b.wallAt(0, 7) && b.stateAt(0, 7) >= 0);
  assert.equal(b.moveTarget(b.stateAt(0, 6), 1), b.stateAt(0, 6)); // into the wall: stays
  assert.equal(b.moveTarget(b.stateAt(4, 4), 4), b.stateAt(4, 4));
  // The true dynamics never enter a wall cell from a free cell.
  for (let s2 = 0; s2 < b.mdp.S; s2++) {
    const [r, c] = b.cellOf(s2);
    if (b.wallAt(r, c)) continue;
    for (let a = 0; a < 5; a++) for (const t of successors(b, s2, a).keys()) assert.ok(!b.wallAt(...b.cellOf(t)));
  }
  assert.equal(b.mdp.reward[b.goal * 5], 100);

  const risk = makeGridworld(loadGridMap('data/paper-fig3a-risk.txt'));
  assert.equal(risk.goal, -1);
  assert.equal(risk.mdp.S, 3);
  const [L, M, R] = [0, 1, 2];
  assert.deepEqual([...successors(risk, L, 0)], [[L, 1]]); // up: stays
  assert.deepEqual([...successors(risk, M, 3)], [[L, 1]]);
  const rRight = successors(risk, R, 1); // right from the right cell: clipped (stays) or slips left
  assert.equal(rRight.get(R), 0.5);
  assert.equal(rRight.get(M), 0.5);
  assert.deepEqual([...successors(risk, R, 3)], [[M, 1]]);
  assert.deepEqual(
    [L, M, R].map((s2) => risk.mdp.reward[s2 * 4]),
    [50, 1, 51],
  );
});

test('new header keys: bad values get one clear error naming source:line:col', () => {
  const bad: [string, RegExp][] = [
    ['actions: up jump\nS.G', /m:1:10: unknown action 'jump'/],
    ['actions: up up\nS.G', /m:1:10: action 'up' is listed twice/],
    ['goal: sometimes\nS.G', /m:1:7: goal must be absorbing, not-absorbing or none, got 'sometimes'/],
    ['walls: soft\nS.G', /m:1:8: walls must be blocked or states/],
    ['slip.a: left\nreward.a: 1\nSaG', /m:1:9: slip.a must be '<action> <probability>'/],
    ['slip.a: left 2\nreward.a: 1\nSaG', /m:1:9: slip.a probability must be in \[0, 1\]/],
    ['slip.A: left 0.5\nS.G', /m:2:1|m:1:1: slip applies to a lowercase cell letter/],
    ['slip.b: left 0.5\nS.G', /m:1:9: slip.b names a cell letter the grid does not use/],
    [
      'actions: up down\nslip.a: left 0.5\nreward.a: 1\nSaG',
      /m:2:9: slip.a uses the action 'left', which the map's actions do not include/,
    ],
    ['goal: none\nS.G', /m:2:3: goal cell 'G' in a map declared 'goal: none'/],
    ['S..', /m: the map has no goal cell 'G' \(declare 'goal: none'/],
  ];
  for (const [text, re] of bad) assert.throws(() => parseGridMap(text, 'm'), re, text);
  assert.throws(
    () => makeGridworld(parseGridMap('goal: none\nS..', 'm'), { absorbingGoal: true }),
    /absorbingGoal is set but the map has no goal/,
  );
});

test('map errors name characters that do not show, count columns in characters, cap what they echo (issue 22)', () => {
  const fails = (text: string) => {
    try {
      parseGridMap(text, 'm');
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail(`parsed: ${JSON.stringify(text)}`);
  };
  assert.match(fails('\ufeffS.G'), /^m:1:1: unknown cell U\+FEFF \(byte-order mark\)/);
  assert.match(fails('S.\r.G'), /^m:1:3: unknown cell U\+000D \(carriage return\)/);
  assert.match(fails('S.\0G'), /^m:1:3: unknown cell U\+0000 \(NUL\)/);
  assert.match(fails('S.\tG'), /^m:1:3: unknown cell U\+0009 \(tab\)/);
  assert.match(fails('S.\u202eG'), /^m:1:3: unknown cell U\+202E \(right-to-left override\)/);
  // An emoji is one column (two UTF-16 units); half of one is named as such.
  assert.match(fails('S😀G'), /^m:1:2: unknown cell '😀'/);
  assert.match(fails('S.😀\nS..'), /^m:2:1: second start|^m:1:3: unknown cell '😀'/);
  assert.match(fails('S.\ud83dG'), /^m:1:3: unknown cell U\+D83D \(half of a surrogate pair\)/);
  assert.match(fails('😀S.\n..G'), /^m:1:1: unknown cell '😀'/);
  assert.match(fails('gamma: é0x\nS.G'), /^m:1:8: gamma must be a finite number/);
  assert.match(fails('reward.goal: 😀 x\nS.G'), /^m:1:14: reward\.goal must be a finite number, got '😀 x'/);
  for (const msg of [fails('gamma: \u202e0.5\nS.G'), fails('noise: 0.\r2\nS.G'), fails('S.\u202eG')]) {
    assert.doesNotMatch(msg, /[\u202e\r\0\ufeff]/, 'no raw invisible character in the message');
  }
  // A 1 MB value is cut, its length said.
  const long = fails(`gamma: ${'9'.repeat(1 << 20)}x\nS.G`);
  assert.ok(long.length < 300, `message of ${long.length} characters`);
  assert.match(long, /…' \(1048577 characters\)$/);
  const longKey = fails(`${'k'.repeat(1 << 20)}: 1\nS.G`);
  assert.ok(longKey.length < 400, `message of ${longKey.length} characters`);
});

test('a header key given twice, and a number not in decimal, are refused (issue 22)', () => {
  assert.throws(
    () => parseGridMap('noise: 0.1\nnoise: 0.3\nS.G', 'm'),
    /^Error: m:2:1: header key 'noise' is given twice \(first at m:1:1\)$/,
  );
  assert.throws(() => parseGridMap('reward.a: 1\nreward.a: 2\nSaG', 'm'), /m:2:1: header key 'reward\.a' is given twice/);
  assert.throws(() => parseGridMap('noise: 0x1\nS.G', 'm'), /m:1:8: noise must be a finite number, got '0x1' \(write it in decimal/);
  for (const v of ['0b1', '0o1', '1_0', 'Infinity', '.', '1e'])
    assert.throws(() => parseGridMap(`noise: ${v}\nS.G`, 'm'), /must be a finite number/, v);
  for (const v of ['0.2', '.5', '1', '1e-1', '+0.25', '0.2 ']) assert.ok(parseGridMap(`noise: ${v}\nS.G`, 'm').noise! >= 0, v);
});

test('long map lines are read in linear time (no backtracking regular expression)', () => {
  // Spaces inside a 1 MB row, and a 1 MB number: each one error, found at once (a quadratic scan would take minutes).
  assert.throws(() => parseGridMap(`S${' '.repeat(1 << 20)}xG`, 'm'), /m:1:2: unknown cell U\+0020|m:1:2: unknown cell ' '/);
  assert.throws(() => parseGridMap(`noise: ${'1'.repeat(1 << 20)}x\nS.G`, 'm'), /noise must be a finite number/);
});
