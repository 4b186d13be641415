// "Write it yourself": each task's short solution agrees with the library, and a plausible mistake is caught.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type CodeTask, judgeCode, WRITE_EQ10, WRITE_EQ5, WRITE_MNM_BACKUP, WRITE_TILT } from '../../lib/notebook/implement';

function rightAndWrong<F, C>(task: CodeTask<F, C>, wrong: F): void {
  assert.equal(judgeCode(task, undefined).right, null);
  assert.match(judgeCode(task, undefined).markdown, /Write it yourself/);
  const ok = judgeCode(task, task.solution);
  assert.equal(ok.right, true, ok.markdown);
  const bad = judgeCode(task, wrong);
  assert.equal(bad.right, false, `${task.id}: the mistake must be caught`);
  assert.match(bad.markdown, /Not quite|threw|Wrong shape/);
}

test('the q* tilt: the solution matches optimisticModel; forgetting γ is caught', () => {
  rightAndWrong(WRITE_TILT, (P, V) => WRITE_TILT.solution(P, V, 1));
});

test('the Eq. 5 reward: the solution matches the MnM learner; r in place of log r is caught', () => {
  rightAndWrong(WRITE_EQ5, (r, C) => r + Math.log(C / (1 - C)));
});

test('the MnM backup: the solution matches backupQ; an expectation of V in place of the log-sum-exp is caught', () => {
  rightAndWrong(WRITE_MNM_BACKUP, (P, R, gamma, V) =>
    P.map((byA, s) =>
      byA.map((row, a) => (1 - gamma) * (Math.log(R[s][a]) - Math.log(1 - gamma)) + gamma * row.reduce((x, p, k) => x + p * V[k], 0)),
    ),
  );
});

test('the Eq. 10 sum: the solution matches tightBoundTerms; paying KL_t at step t itself is caught', () => {
  rightAndWrong(WRITE_EQ10, (logReward, kl, gamma) =>
    Math.log(logReward.reduce((sum, R, t) => sum + Math.exp(R + t * Math.log(gamma) - kl.slice(0, t + 1).reduce((a, b) => a + b, 0)), 0)),
  );
  const threw = judgeCode(WRITE_EQ10, () => {
    throw new Error('boom');
  });
  assert.equal(threw.right, false);
  assert.match(threw.markdown, /threw\*\* on case 1 of \d+: boom/);
});
