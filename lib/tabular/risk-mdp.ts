/**
 * The 3-state risk MDP of Fig. 3a (docs/MATH.md, "A 3-state MDP where the two disagree").
 *
 * States Left (0), Center (1, the start), Right (2); actions 0 = go left, 1 = go right. From Center the
 * action decides the side. Left is absorbing. In Right, "wind" blows the agent back to Center with
 * probability `wind`, otherwise it stays in Right. Rewards are per state (the same for both actions), with
 * Right slightly above Left and Center low; in Left and Right both actions do the same thing.
 *
 * Going Right earns more per step while there, but the wind keeps sending the agent through the
 * low-reward Center: the mean return is lower and the return varies. MnM, whose objective takes log r,
 * prefers the sure Left; VMBPO, whose optimal value grows with the spread of the return, prefers Right.
 */
import { makeMDP, type TabularMDP } from './mdp';
import { returnMoments, valueIteration, type Backup } from './solve';

export interface RiskMDPParams {
  gamma: number;
  rewardLeft: number;
  rewardCenter: number;
  rewardRight: number;
  /** Probability that the wind blows the agent from Right back to Center. */
  wind: number;
}

/**
 * The numbers used by E3 and notebook 03: γ = 0.9, wind 0.5, rewards Left 1.0, Center 0.1, Right 1.35.
 * Why these: the methods only disagree where the two sides are close in mean return (a scan over rewards,
 * wind and γ found no disagreement with Left ahead by more than ~5%). Among the numbers where MnM goes Left,
 * VMBPO goes Right and Left has the higher mean, these balance the three margins: Left's mean return is
 * 9.10 against Right's 8.76 (3.8% ahead, so the choice matters), MnM prefers Left by 0.12 in Q(Center, ·)
 * and VMBPO prefers Right by 0.18, so neither choice rests on rounding. docs/MATH.md's example (Center 0.2,
 * Right 1.3) leaves VMBPO only 0.024 ahead. The tests check these margins; E3 maps the choices over
 * neighbouring numbers to show where they flip.
 */
export const RISK_MDP_DEFAULTS: RiskMDPParams = { gamma: 0.9, rewardLeft: 1.0, rewardCenter: 0.1, rewardRight: 1.35, wind: 0.5 };

export const RISK_STATES = ['Left', 'Center', 'Right'] as const;
export const RISK_ACTIONS = ['go left', 'go right'] as const;
export const LEFT = 0;
export const CENTER = 1;
export const RIGHT = 2;

export function riskMDP(params: Partial<RiskMDPParams> = {}): TabularMDP {
  const p = { ...RISK_MDP_DEFAULTS, ...params };
  if (!(p.wind >= 0 && p.wind <= 1)) throw new Error(`riskMDP: wind must be in [0, 1], got ${p.wind}`);
  for (const key of ['rewardLeft', 'rewardCenter', 'rewardRight'] as const) {
    if (!(Number.isFinite(p[key]) && p[key] > 0)) throw new Error(`riskMDP: ${key} must be finite and > 0, got ${p[key]}`);
  }
  const stay = (s: number) => ({ next: [s], prob: [1] });
  const windy = { next: [CENTER, RIGHT], prob: [p.wind, 1 - p.wind] };
  return makeMDP({
    S: 3,
    A: 2,
    rows: [
      [stay(LEFT), stay(LEFT)],
      [stay(LEFT), stay(RIGHT)],
      [windy, windy],
    ],
    reward: [
      [p.rewardLeft, p.rewardLeft],
      [p.rewardCenter, p.rewardCenter],
      [p.rewardRight, p.rewardRight],
    ],
    gamma: p.gamma,
    p0: CENTER,
    stateNames: [...RISK_STATES],
    actionNames: [...RISK_ACTIONS],
  });
}

/** The policy that takes `side` (LEFT or RIGHT) from Center. */
export function sidePolicy(side: typeof LEFT | typeof RIGHT): Float64Array {
  const a = side === LEFT ? 0 : 1;
  const pi = new Float64Array(6);
  pi[0] = 1; // Left: both actions are the same; take action 0
  pi[2 + a] = 1;
  pi[4] = 1;
  return pi;
}

/** The side a policy takes from Center. */
export function sideOf(pi: Float64Array): 'Left' | 'Right' {
  return pi[2] >= pi[3] ? 'Left' : 'Right';
}

/** The three backups compared on this MDP, with their labels. */
export const RISK_METHODS: { backup: Backup; label: string }[] = [
  { backup: 'return', label: 'return' },
  { backup: 'mnm', label: 'MnM' },
  { backup: 'vmbpo', label: 'VMBPO' },
];

/** The exact solution of one risk MDP: per method, the side, Q(Center, ·) and its optimal value. */
export function solveRiskMDP(params: Partial<RiskMDPParams> = {}) {
  const mdp = riskMDP(params);
  const left = returnMoments(mdp, sidePolicy(LEFT));
  const right = returnMoments(mdp, sidePolicy(RIGHT));
  const methods = RISK_METHODS.map(({ backup, label }) => {
    const r = valueIteration(mdp, backup);
    const qLeft = r.Q[CENTER * 2];
    const qRight = r.Q[CENTER * 2 + 1];
    return { method: label, backup, side: sideOf(r.policy), qLeft, qRight, value: r.V[CENTER] };
  });
  return { mdp, moments: { Left: left, Right: right }, methods };
}
