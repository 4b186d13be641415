/**
 * E7 Stage B's pre-registered measure and gates as code (docs/EXPERIMENTS.md, "Stage B: pre-registration"),
 * committed before any Stage B result. run.ts trains the arms, stage-b-report.ts applies these; the verdicts of the
 * two claims (a paired test against a margin, a TOST) come from lib/stats.ts's one verdict rule.
 */
import { MAZE_VALUE_RANGE } from '../../deep/value-range';
import { mean } from '../../stats';

/** The numbers fixed by the pre-registration. */
export const STAGE_B = {
  seedsPerArm: 10,
  tau: 0.04,
  gamma: 0.99,
  /** The measure's normaliser: the maze's value range under the evaluation estimator. */
  D: MAZE_VALUE_RANGE.D,
  /** Residual target lag at the window's first evaluation: e^{−τ(1−γ)u} ≤ e^{−4} ≈ 2%. */
  minLagDecay: 4,
  /** Validity bar: the mean over SAC's runs of |measure|. */
  validityBar: 0.05,
  /** Positive control: MBPO's pooled crossing fraction in the window, and in more than half of its runs > 0. */
  minCrossing: 1e-3,
  /** The claims' margin, in units of D (one-sided paired for MBPO − MnM-approx; ± for the TOST). */
  margin: 0.1,
} as const;

/** The evaluation steps of the window: those after 2/3 of the budget. */
export function windowSteps(steps: readonly number[], totalSteps: number): number[] {
  if (!(totalSteps > 0)) throw new Error(`E7 stage B: totalSteps must be > 0, got ${totalSteps}`);
  return steps.filter((s) => s > (2 * totalSteps) / 3);
}

/** One run's measure: the mean over the window's evaluations of (Q − G_soft) / D. */
export function runMeasure(
  rows: readonly { step: number; q_estimate: number; mc_return: number }[],
  totalSteps: number,
  D: number = STAGE_B.D,
): number {
  if (!(D > 0)) throw new Error(`E7 stage B: D must be > 0, got ${D}`);
  const inWindow = new Set(
    windowSteps(
      rows.map((r) => r.step),
      totalSteps,
    ),
  );
  const w = rows.filter((r) => inWindow.has(r.step));
  if (w.length === 0) throw new Error(`E7 stage B: no evaluation after 2/3 of the ${totalSteps} steps`);
  return mean(w.map((r) => (r.q_estimate - r.mc_return) / D));
}

/** τ(1−γ)·u: how many time constants of the target critic have passed after u updates. */
export function lagDecay(tau: number, gamma: number, updates: number): number {
  return tau * (1 - gamma) * updates;
}

/** SAC updates done by env step `step`: G per env step after the random phase. */
export function updatesBy(step: number, startSteps: number, G: number): number {
  return Math.max(0, step - startSteps) * G;
}

export interface StageBGateInput {
  /** Runs per arm. */
  runs: Record<string, number>;
  /** τ(1−γ)u at the window's first evaluation. */
  lagDecayAtWindow: number;
  /** The SAC control's per-run measures. */
  sacMeasures: readonly number[];
  /** MBPO's crossing fraction in the window: pooled over its runs, and per run. */
  mbpoCrossing: { pooled: number; perRun: readonly number[] };
}

/** The first gate that fails, as the reason every Stage B claim is inconclusive; null when all pass. In the pre-registered order. */
export function stageBGate(g: StageBGateInput): string | null {
  const few = Object.entries(g.runs).filter(([, n]) => n < STAGE_B.seedsPerArm);
  if (few.length > 0)
    return `too few seeds: ${few.map(([a, n]) => `${a} ${n}`).join(', ')} of the ${STAGE_B.seedsPerArm} per arm registered`;
  if (!(g.lagDecayAtWindow >= STAGE_B.minLagDecay))
    return `target lag not removed: τ(1−γ)u = ${g.lagDecayAtWindow.toFixed(2)} at the window's first evaluation, below ${STAGE_B.minLagDecay}`;
  const sacOff = mean(g.sacMeasures.map(Math.abs));
  if (!(sacOff <= STAGE_B.validityBar))
    return `model-free SAC's critic is off its return by ${sacOff.toFixed(3)} D on average (bar ${STAGE_B.validityBar}), so the measure does not isolate model exploitation`;
  const crossing = g.mbpoCrossing.perRun.filter((x) => x > 0).length;
  if (!(g.mbpoCrossing.pooled >= STAGE_B.minCrossing) || !(crossing > g.mbpoCrossing.perRun.length / 2))
    return `MBPO's model did not step through the wall (crossing fraction ${g.mbpoCrossing.pooled.toExponential(2)}, > 0 in ${crossing} of ${g.mbpoCrossing.perRun.length} runs): the set-up failed`;
  return null;
}
