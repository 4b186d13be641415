/**
 * The settings and knobs of the tabular figures as the authors computed them (docs/PAPER-SETTINGS.md), shared by
 * the figure modules of this folder (one per figure, so that an experiment's code names only its own maps).
 *
 * Settings: 'paper' = the authors' maps, rewards, noise, γ and non-absorbing goals (data/paper-*.txt);
 * 'project' = the project's maps (E1's open 10×10 grid for Fig. 2a/3b, E2's fine-walls 12×12 grid for
 * Fig. 2b, riskMDP() for Fig. 3a), run through the same procedures. Knobs change one thing of 'paper':
 * the weight of log r (Eq. 3's 1−γ against Eq. 5's 1), the KL clip, the noise, γ.
 */
import type { AlternatingOptions } from '../alternating';
import { makeGridworld, type GridMap, type Gridworld } from '../gridworld';
import type { Policy } from '../mdp';
import { combine, type Decision, decideExact, type Verdict } from '../../stats';

export type Setting = 'paper' | 'project';
export const SETTINGS: readonly Setting[] = ['paper', 'project'];

export interface Knobs {
  setting: Setting;
  /** Weight of log r in MnM's reward: 'eq3' = 1−γ (the paper's Eq. 3, the authors'), 'eq5' = 1. */
  logRewardWeight: 'eq3' | 'eq5';
  /** KL clip: 'authors' = 5 in Fig. 2b (the classifier's limit) and none elsewhere; a number; null = none. */
  klClip: 'authors' | number | null;
  /** Overrides of the setting's noise and γ (undefined: the setting's own). */
  noise?: number;
  gamma?: number;
}

export const PAPER_KNOBS: Knobs = { setting: 'paper', logRewardWeight: 'eq3', klClip: 'authors' };
export const PROJECT_KNOBS: Knobs = { setting: 'project', logRewardWeight: 'eq3', klClip: 'authors' };

/** One checked statement of a figure: its evidence (each effect with its margin, decided by the rule) and the numbers behind it. */
export interface Check {
  evidence: Decision[];
  measured: string;
}

/** The verdict of a check: the rule over its parts (lib/stats.ts combine()). */
export function checkVerdict(c: Check): Verdict {
  return combine(c.evidence).verdict;
}

/** A deterministic part of a check (lib/stats.ts decideExact). */
export const exactPart = decideExact;

export const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

export function clipFor(knobs: Knobs, authors: number | null): number | null {
  return knobs.klClip === 'authors' ? authors : knobs.klClip;
}

export function withKnobs(map: GridMap, knobs: Knobs, rewards?: Record<string, number>): Gridworld {
  return makeGridworld(map, { noise: knobs.noise, gamma: knobs.gamma, rewards });
}

export function mnmOptions(knobs: Knobs, authorsClip: number | null): Pick<AlternatingOptions, 'logRewardWeight' | 'klClip'> {
  return { logRewardWeight: knobs.logRewardWeight, klClip: clipFor(knobs, authorsClip) };
}

/** The action a deterministic policy takes in s. */
export function actionOf(pi: Policy, A: number, s: number): number {
  let best = 0;
  for (let a = 1; a < A; a++) if (pi[s * A + a] > pi[s * A + best]) best = a;
  return best;
}
