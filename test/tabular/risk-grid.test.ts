// The risk-MDP explorer's grid: every point solved exactly, the same answer as solving that MDP alone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RISK_MDP_DEFAULTS, solveRiskMDP } from '../../lib/tabular/risk-mdp';
import { riskGrid } from '../../lib/tabular/risk-grid';

test('riskGrid: one row per (γ, wind, Right reward, method), each the exact solution of that MDP', () => {
  const axes = { wind: [0, 0.5], rewardRight: [1.05, 1.35], gamma: [0.9] };
  const rows = riskGrid(axes);
  assert.equal(rows.length, 2 * 2 * 1 * 3);
  for (const r of rows) {
    const sol = solveRiskMDP({ ...RISK_MDP_DEFAULTS, wind: r.wind, rewardRight: r.reward_right, gamma: r.gamma });
    const m = sol.methods.find((x) => x.method === r.method);
    assert.ok(m);
    assert.equal(r.side, m.side);
    assert.equal(r.mean, sol.moments[r.side].mean);
    const other = sol.moments[r.side === 'Left' ? 'Right' : 'Left'].mean;
    assert.equal(r.lower_mean, r.mean < other);
  }
  // With no wind Right is simply better: every method goes Right.
  assert.ok(rows.filter((r) => r.wind === 0 && r.reward_right === 1.35).every((r) => r.side === 'Right'));
});
