import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verdict } from '../../lib/claims';
import { stageAReport, stageATables, type StageATables } from '../../lib/experiments/e7-q-value-stability';

const viaJson = (t: StageATables): StageATables => JSON.parse(JSON.stringify(t)) as StageATables;

test('E7 stage A: exact claims from seed 0 alone, each figure drawn, and the claims fail on rows that break them', () => {
  const tables = viaJson(stageATables());
  const r = stageAReport([{ tables }, { tables: { stage_a_states: [], stage_a_paths: [] } }]);
  assert.deepEqual(
    r.claims.map((c) => [c.id, verdict(c)]),
    [
      ['E7.A.mle-overpromises', 'holds'],
      ['E7.A.mnm-bound-below-truth', 'holds'],
      ['E7.A.full-resolution-exact', 'holds'],
    ],
  );
  assert.deepEqual(Object.keys(r.figures), ['stage_a_mle', 'stage_a_mnm', 'stage_a_overpromise']);
  // A bound above the truth at one cell, a promise below the truth at the start, a control off by 1%: each claim fails.
  const broken = viaJson(tables);
  const start = broken.stage_a_states.find((x) => x.row === 0 && x.col === 0);
  assert.ok(start);
  start.mle_promised = start.mle_true / 2;
  broken.stage_a_states[5].mnm_eq10 = broken.stage_a_states[5].mnm_log_true + 1e-6;
  broken.stage_a_states[7].full_promised = broken.stage_a_states[7].full_true * 1.01;
  const b = stageAReport([{ tables: broken }]);
  assert.deepEqual(
    b.claims.map((c) => verdict(c)),
    ['does not hold', 'does not hold', 'does not hold'],
  );
  // No stage A rows (another seed only): no part.
  assert.deepEqual(stageAReport([{ tables: { stage_a_states: [], stage_a_paths: [] } }]).claims, []);
});
