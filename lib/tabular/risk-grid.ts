/**
 * The risk MDP of Fig. 3a solved exactly over a grid of (wind, Right's reward, γ): per point, the side each method
 * picks and the mean and spread of the true return of both sides. Precomputed so that a chart's sliders can move
 * through it without a kernel (lib/plot/risk-mdp.ts, riskExplorerSpec).
 */
import { RISK_MDP_DEFAULTS, type RiskMDPParams, solveRiskMDP } from './risk-mdp';

export interface RiskGridAxes {
  wind: number[];
  rewardRight: number[];
  gamma: number[];
}

/** Evenly spaced axes (slider steps land on grid points): wind 0–0.9, Right's reward 1.0–1.6, γ 0.8–0.95. */
export const RISK_GRID_AXES: RiskGridAxes = {
  wind: [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9],
  rewardRight: [1, 1.05, 1.1, 1.15, 1.2, 1.25, 1.3, 1.35, 1.4, 1.45, 1.5, 1.55, 1.6],
  gamma: [0.8, 0.85, 0.9, 0.95],
};

export interface RiskGridRow {
  wind: number;
  reward_right: number;
  gamma: number;
  method: string;
  side: 'Left' | 'Right';
  /** Exact mean and standard deviation of the discounted return of the side the method picks. */
  mean: number;
  std: number;
  /** Whether that side has the lower mean return of the two. */
  lower_mean: boolean;
}

export function riskGrid(axes: RiskGridAxes = RISK_GRID_AXES, base: Partial<RiskMDPParams> = {}): RiskGridRow[] {
  const rows: RiskGridRow[] = [];
  for (const gamma of axes.gamma)
    for (const wind of axes.wind)
      for (const rewardRight of axes.rewardRight) {
        const sol = solveRiskMDP({ ...RISK_MDP_DEFAULTS, ...base, gamma, wind, rewardRight });
        const other = (s: 'Left' | 'Right') => (s === 'Left' ? 'Right' : 'Left');
        for (const m of sol.methods) {
          const mo = sol.moments[m.side];
          rows.push({
            wind,
            reward_right: rewardRight,
            gamma,
            method: m.method,
            side: m.side,
            mean: mo.mean,
            std: mo.std,
            lower_mean: mo.mean < sol.moments[other(m.side)].mean,
          });
        }
      }
  return rows;
}
