import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ARMS, type Arm, armRun, type QRow, STAGE_B_CONFIG } from '../../lib/experiments/e7-q-value-stability/run';
import { stageBClaims, summariseStageB } from '../../lib/experiments/e7-q-value-stability/stage-b-report';
import {
  lagDecay,
  runMeasure,
  STAGE_B,
  stageBGate,
  updatesBy,
  windowSteps,
} from '../../lib/experiments/e7-q-value-stability/stage-b-measure';

test('E7 stage B: the window is the last third, the measure averages (Q − G_soft) / D over it', () => {
  const steps = [250, 500, 750, 1000, 1250, 1500, 1750, 2000, 2250, 2500];
  assert.deepEqual(windowSteps(steps, 2500), [1750, 2000, 2250, 2500]);
  const rows = steps.map((step) => ({ step, q_estimate: step >= 1750 ? step / 100 : 1000, mc_return: 0 }));
  assert.equal(runMeasure(rows, 2500, 10), (17.5 + 20 + 22.5 + 25) / 4 / 10);
  assert.throws(() => runMeasure(rows.slice(0, 3), 2500), /no evaluation after 2\/3 of the 2500 steps/);
  assert.throws(() => runMeasure(rows, 2500, 0), /D must be > 0, got 0/);
});

test('E7 stage B: the registered τ and budget remove the lag at the window (τ(1−γ)u = 6 at step 1,750)', () => {
  const u = updatesBy(1750, 250, 10);
  assert.equal(u, 15000);
  assert.ok(Math.abs(lagDecay(STAGE_B.tau, STAGE_B.gamma, u) - 6) < 1e-9);
  // The reference run's τ = 0.005 did not: 0.75 at the same step.
  assert.ok(lagDecay(0.005, 0.99, u) < STAGE_B.minLagDecay);
});

test('E7 stage B: the gates in the registered order, each with its reason', () => {
  const ok = {
    runs: { sac: 10, mbpo: 10, mnm: 10, 'mnm-eq5': 10, 'mbpo-full': 10 },
    lagDecayAtWindow: 6,
    sacMeasures: [0.01, -0.02, 0.03],
    mbpoCrossing: { pooled: 0.01, perRun: [0.02, 0, 0.01] },
  };
  assert.equal(stageBGate(ok), null);
  assert.match(stageBGate({ ...ok, runs: { ...ok.runs, mnm: 9 }, lagDecayAtWindow: 1 }) ?? '', /^too few seeds: mnm 9 of the 10/);
  assert.match(stageBGate({ ...ok, lagDecayAtWindow: 3.9, sacMeasures: [1] }) ?? '', /^target lag not removed: τ\(1−γ\)u = 3.90/);
  // Signed errors do not cancel: |0.08| and |−0.08| average to 0.08 > 0.05.
  assert.match(stageBGate({ ...ok, sacMeasures: [0.08, -0.08] }) ?? '', /^model-free SAC's critic is off its return by 0.080 D/);
  assert.match(stageBGate({ ...ok, mbpoCrossing: { pooled: 0, perRun: [0, 0, 0] } }) ?? '', /^MBPO's model did not step through the wall/);
  assert.match(stageBGate({ ...ok, mbpoCrossing: { pooled: 0.01, perRun: [0.03, 0, 0] } }) ?? '', /> 0 in 1 of 3 runs/);
});

// ---- the report: measure per run, gates, claims (lib/experiments/e7-q-value-stability/stage-b-report.ts) ----

/** Rows of every arm and seed at the paper settings: each arm's critic off its return by `off[arm]`·D (plus a little seed noise). */
function syntheticRows(seeds: number, off: Record<Arm, number>, crossing: number): QRow[] {
  const config = STAGE_B_CONFIG.defaults('paper');
  const s = config['point-maze'];
  const rows: QRow[] = [];
  for (let seed = 0; seed < seeds; seed++)
    for (const arm of ARMS)
      for (let step = s.evalEvery; step <= s.envSteps; step += s.evalEvery) {
        const mc = -60 + seed;
        const noise = 0.01 * Math.sin(7 * seed + step);
        rows.push({
          seed,
          arm,
          step,
          q_estimate: mc + (off[arm] + noise) * STAGE_B.D,
          mc_return: mc,
          mc_task_return: mc,
          eval_return: mc,
          model_crossing: arm === 'sac' ? null : crossing,
          backend: 'test',
        });
      }
  return rows;
}

const OFF: Record<Arm, number> = { sac: 0.01, mbpo: 0.4, mnm: 0.05, 'mnm-eq5': 0.0, 'mbpo-full': 0.3 };
const verdicts = (rows: QRow[]) =>
  Object.fromEntries(
    stageBClaims(summariseStageB(rows, 'paper', STAGE_B_CONFIG.defaults('paper'))).map((c) => [
      c.id,
      c.inconclusive ?? (c.holds ? 'holds' : 'does not hold'),
    ]),
  );

test('E7 stage B report: with every gate passed, MBPO far above MnM-approx holds and an unbiased Eq. 5 arm holds', () => {
  const s = summariseStageB(syntheticRows(10, OFF, 0.05), 'paper', STAGE_B_CONFIG.defaults('paper'));
  assert.deepEqual(s.window, [1750, 2000, 2250, 2500]);
  assert.equal(s.gate, null);
  assert.ok(Math.abs(s.lagDecayAtWindow - 6) < 1e-9);
  assert.ok(Math.abs(s.crossing.mbpo.pooled - 0.05) < 1e-12);
  assert.deepEqual(verdicts(syntheticRows(10, OFF, 0.05)), { 'E7.B.mbpo-above-mnm': 'holds', 'E7.B.eq5-unbiased': 'holds' });
  // The other way round: MnM-approx above MBPO, and the Eq. 5 arm far off: both do not hold.
  assert.deepEqual(verdicts(syntheticRows(10, { ...OFF, mbpo: 0.05, mnm: 0.4, 'mnm-eq5': 0.3 }, 0.05)), {
    'E7.B.mbpo-above-mnm': 'does not hold',
    'E7.B.eq5-unbiased': 'does not hold',
  });
});

test('E7 stage B report: a failed gate makes both claims inconclusive, with its reason', () => {
  for (const [rows, reason] of [
    [syntheticRows(9, OFF, 0.05), /^too few seeds: sac 9, mbpo 9/],
    [syntheticRows(10, { ...OFF, sac: 0.2 }, 0.05), /^model-free SAC's critic is off its return by 0\.2\d* D/],
    [syntheticRows(10, OFF, 0), /^MBPO's model did not step through the wall/],
  ] as const) {
    for (const v of Object.values(verdicts([...rows]))) assert.match(v, reason);
  }
});

test('E7 stage B arms: one algorithm and setting each, the capacity limit where registered, common seeds', () => {
  const c = STAGE_B_CONFIG.defaults('paper');
  assert.equal(c['point-maze'].tau, STAGE_B.tau);
  const runs = Object.fromEntries(ARMS.map((a) => [a, armRun(a, c)]));
  assert.deepEqual(
    ARMS.map((a) => [a, runs[a].algo, runs[a].settings.modelInputCell, runs[a].settings.classifierRewardWeight]),
    [
      ['sac', 'sac', 0, 0],
      ['mbpo', 'mbpo', 0.2, 0],
      ['mnm', 'mnm', 0.2, 0],
      ['mnm-eq5', 'mnm', 0.2, 1],
      ['mbpo-full', 'mbpo', 0, 0],
    ],
  );
  // Apart from the model's input and Eq. 5's weight, every arm trains with the same settings.
  const rest = (a: Arm) => ({ ...runs[a].settings, modelInputCell: 0, classifierRewardWeight: 0 });
  for (const a of ARMS) assert.deepEqual(rest(a), rest('sac'));
  assert.equal(new Set(ARMS.map((a) => `${runs[a].algo}-${runs[a].variant ?? ''}`)).size, ARMS.length, 'every arm has its own run name');
});

test("E7 stage B answer: one quotable paragraph after the question, with each arm's number and the verdicts in words", async () => {
  const { answerDeepStability, answerMarkdown } = await import('../../lib/notebook/answers');
  const s = summariseStageB(syntheticRows(10, OFF, 0.05), 'paper', STAGE_B_CONFIG.defaults('paper'));
  const claims = stageBClaims(s);
  const md = answerMarkdown(answerDeepStability({ claims }, { claims: [] }, s));
  const [question, , paragraph] = md.split('\n');
  assert.match(question, /^\*\*Answer\.\*\* When a model can be exploited/);
  assert.match(paragraph, /MBPO's critic is off by 0\.4\d* D \(95% interval/);
  assert.match(paragraph, /over 10 seeds/);
  assert.match(paragraph, /by more than 0\.1 D holds/);
  assert.match(paragraph, /every control passed/);
  assert.doesNotMatch(paragraph, /E7\.B\./, 'no claim ids in prose');
  assert.doesNotMatch(paragraph, /\*/, 'plain words: no emphasis marks, escaped or not');
  // A failed control is said in words, with its reason.
  const failed = summariseStageB(syntheticRows(10, OFF, 0), 'paper', STAGE_B_CONFIG.defaults('paper'));
  assert.match(
    answerMarkdown(answerDeepStability({ claims: stageBClaims(failed) }, { claims: [] }, failed)),
    /a control failed \(MBPO's model did not step through the wall/,
  );
});
