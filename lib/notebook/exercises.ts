/**
 * Prediction exercises for the notebooks: the reader writes an answer in a cell and `check(id, answer)` says whether
 * it is right and why. The right answer is never stored: each exercise computes it from the library (or from the
 * run the notebook just made), so it follows the code. test/notebook/exercises.test.ts runs every exercise with its right
 * answer and with a wrong one.
 */
import type { Report, SeedResult } from '../experiment';
import { gather, numberIn, only, rowWhere } from '../experiment';
import { runConfig } from '../experiments/deep-runs';
import { MC_TAIL } from '../deep/q-evaluation';
import { Pendulum, PENDULUM } from '../envs/pendulum';
import { e1Grid, E1_VARIANTS } from '../experiments/e1-gridworld-optimism';
import { blockModelCandidates, e2Grid, E2_VARIANTS } from '../experiments/e2-capacity-limited';
import type { E6Tables } from '../experiments/e6-transfer';
import { type E7Tables, summariseE7 } from '../experiments/e7-q-value-stability';
import { fmt, mean, meanInterval } from '../stats';
import { eq5OptimisticModel, fractionTowardGoal, modelShift } from '../tabular/model-shift';
import { RISK_MDP_DEFAULTS, type RiskMDPParams, solveRiskMDP } from '../tabular/risk-mdp';
import { showMarkdown } from './display';

export interface Exercise<A, Ctx = undefined> {
  id: string;
  question: string;
  /** The right answer, computed now. */
  truth: (ctx: Ctx) => A;
  /** Why it is right, in one or two sentences (markdown). */
  why: (truth: A, ctx: Ctx) => string;
  /** Answers a reader may type, for the hint when the answer has the wrong form. */
  choices?: readonly A[];
}

export interface Judgement {
  /** null: no answer yet. */
  right: boolean | null;
  markdown: string;
}

function same<A>(a: A, b: A): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
  if (typeof a === 'string' && typeof b === 'string') return a.trim().toLowerCase() === b.trim().toLowerCase();
  return a === b;
}

export function judge<A, Ctx>(ex: Exercise<A, Ctx>, answer: A | undefined, ctx: Ctx): Judgement {
  if (answer === undefined || answer === null) {
    const options = ex.choices ? ` (one of ${ex.choices.map((c) => `\`${String(c)}\``).join(', ')})` : '';
    // The question sits inside bold: its own * and _ (q*, J*/2) must not end the emphasis.
    const question = ex.question.replace(/([*_])/g, '\\$1');
    return { right: null, markdown: `**${question}** Write your answer${options} in the cell above and run it again.` };
  }
  if (ex.choices && !ex.choices.some((c) => same(c, answer)))
    return { right: false, markdown: `\`${String(answer)}\` is not one of ${ex.choices.map((c) => `\`${String(c)}\``).join(', ')}.` };
  const truth = ex.truth(ctx);
  const right = same(answer, truth);
  return { right, markdown: `${right ? '✔ **Right.**' : `✘ **Not quite:** the answer is \`${String(truth)}\`.`} ${ex.why(truth, ctx)}` };
}

/** Shows the judgement of an answer as one markdown output (nothing returned: a notebook would print it twice). */
export function check<A, Ctx>(ex: Exercise<A, Ctx>, answer: A | undefined, ...ctx: Ctx extends undefined ? [] : [Ctx]): void {
  showMarkdown(judge(ex, answer, ctx[0] as Ctx).markdown);
}

// ---- notebook 00 (primer) ----

export const KL_AT_TRUTH: Exercise<number> = {
  id: 'primer.kl-at-truth',
  question: 'If the model equals the real dynamics (q = p), what is the model term E_q[log p/q] of Eq. 3 for every (s, a)?',
  truth: () => 0,
  why: () => 'log p/q = log 1 = 0 on every successor: with the true dynamics the bound keeps only the reward term.',
};

export const OPTIMISTIC_TILT: Exercise<'more' | 'less'> = {
  id: 'primer.optimistic-tilt',
  question:
    "Two successors, each with p = 0.5; V = 0 on the first and 1 on the second, γ = 0.9. Does q* put 'more' or 'less' than 0.5 on the second?",
  choices: ['more', 'less'],
  truth: () => {
    const w = [0.5 * Math.exp(0.9 * 0), 0.5 * Math.exp(0.9 * 1)];
    return w[1] / (w[0] + w[1]) > 0.5 ? 'more' : 'less';
  },
  why: () => {
    const q = Math.exp(0.9) / (1 + Math.exp(0.9));
    return `q* ∝ p·exp(γV) gives ${fmt(q)} to the valuable successor: the optimistic model tilts the noise toward high value.`;
  },
};

export const WIND_03: Exercise<'Left' | 'Right'> = {
  id: 'primer.vmbpo-wind-0.3',
  question: `In the risk MDP (notebook 03; rewards Left ${RISK_MDP_DEFAULTS.rewardLeft}, Center ${RISK_MDP_DEFAULTS.rewardCenter}, Right ${RISK_MDP_DEFAULTS.rewardRight}, γ ${RISK_MDP_DEFAULTS.gamma}), set the wind to 0.3: which side does VMBPO pick?`,
  choices: ['Left', 'Right'],
  truth: () => solveRiskMDP({ ...RISK_MDP_DEFAULTS, wind: 0.3 }).methods.find((m) => m.method === 'VMBPO')!.side,
  why: (side) => {
    const s = solveRiskMDP({ ...RISK_MDP_DEFAULTS, wind: 0.3 });
    const m = s.methods.find((x) => x.method === 'VMBPO')!;
    return (
      `Solved exactly: Q(Center, left) = ${fmt(m.qLeft)}, Q(Center, right) = ${fmt(m.qRight)}, so VMBPO goes ${side}. ` +
      `True mean returns: Left ${fmt(s.moments.Left.mean)}, Right ${fmt(s.moments.Right.mean)} (std ${fmt(s.moments.Right.std)}).`
    );
  },
};

// ---- notebook 06 (transfer): answers judged against the run just made ----

/** Mean updates to 0.9 J* over the run's seeds, of one target and start (what the report's `by_target` shows). */
const updates = (results: SeedResult<E6Tables>[], target: string, start: string) => {
  const rows = gather(results, 'summary').filter((r) => r.target === target && r.start === start);
  if (rows.length === 0) throw new Error(`no E6 row for target ${target}, start ${start}`);
  return mean(rows.map((r) => r.updates_to_good));
};

export const E6_SIMILAR_FASTER: Exercise<'transfer' | 'scratch', SeedResult<E6Tables>[]> = {
  id: 'e6.similar-faster',
  question: "On the similar goal, which start reaches 0.9 J* in fewer updates on average: 'transfer' or 'scratch'?",
  choices: ['transfer', 'scratch'],
  truth: (results) => (updates(results, 'similar', 'transfer') <= updates(results, 'similar', 'scratch') ? 'transfer' : 'scratch'),
  why: (_, results) =>
    `Mean updates to $0.9\\,J^*$ in this run: transfer ${fmt(updates(results, 'similar', 'transfer'))}, scratch ${fmt(updates(results, 'similar', 'scratch'))}.`,
};

export const E6_CONTROL: Exercise<'faster' | 'slower', SeedResult<E6Tables>[]> = {
  id: 'e6.control',
  question: "On the similar goal, is the control (model = true p) 'faster' or 'slower' than the transferred optimistic model?",
  choices: ['faster', 'slower'],
  truth: (results) => (updates(results, 'similar', 'true-p') < updates(results, 'similar', 'transfer') ? 'faster' : 'slower'),
  why: (_, results) =>
    `Mean updates to 0.9 J*: true p ${fmt(updates(results, 'similar', 'true-p'))}, transfer ${fmt(updates(results, 'similar', 'transfer'))}. ` +
    'If the control is as fast, knowing the true action effects alone could explain the transfer’s gain.',
};

// ---- notebook 05 (Q-value stability): answers judged against the results shown ----

export const E7_MBPO_SIDE: Exercise<'above' | 'below' | 'cannot tell', SeedResult<E7Tables>[]> = {
  id: 'e7.mbpo-side',
  question:
    "Over the window at the end of training, is MBPO's critic (with the coarse model) 'above' the soft Monte Carlo return its policy really gets, 'below' it, or do the seeds 'cannot tell' (the 95% interval of the measure contains 0)?",
  choices: ['above', 'below', 'cannot tell'],
  truth: (results) => {
    const i = meanInterval(summariseE7(results, 'paper').measure.mbpo);
    return i.lo > 0 ? 'above' : i.hi < 0 ? 'below' : 'cannot tell';
  },
  why: (side, results) => {
    const s = summariseE7(results, 'paper');
    const i = meanInterval(s.measure.mbpo);
    return `The measure, (Q − G_soft) / D averaged over the window, is ${fmt(i.estimate, 3)} with 95% interval [${fmt(i.lo, 3)}, ${fmt(i.hi, 3)}] over ${i.n} seeds: ${side === 'cannot tell' ? 'the interval contains 0, so these seeds cannot say on which side it lies' : `the whole interval lies ${side} 0`}. Only an interval that excludes 0 answers the question; the sign of the mean alone could be noise.`;
  },
};

/** The agents' discount, from the one place the deep runs' settings live. */
function deepGamma(): number {
  const gamma = runConfig('point-maze', 'mbpo', 'paper').sac.gamma;
  if (gamma === undefined) throw new Error('exercise: the deep runs set no SAC gamma');
  return gamma;
}

/** Exact, not decided by seeds: how far lib/deep/q-evaluation.ts continues a Monte Carlo return past the time limit. */
export const E7_MC_TAIL: Exercise<number> = {
  id: 'e7.mc-tail',
  question: `The soft Monte Carlo return is continued past the time limit until $\\gamma^k < ${MC_TAIL}$. With the agents' $\\gamma = ${deepGamma()}$, what is the smallest such $k$ (a number of steps)?`,
  truth: () => Math.ceil(Math.log(MC_TAIL) / Math.log(deepGamma())),
  why: (k) =>
    `$k = \\lceil \\log ${MC_TAIL} / \\log ${deepGamma()} \\rceil = ${k}$ steps, far beyond the episode's time limit: a critic with $\\gamma = ${deepGamma()}$ values about $1/(1-\\gamma) = ${fmt(1 / (1 - deepGamma()))}$ steps of reward, so its Monte Carlo check must look that far ahead too.`,
};

// ---- notebook 07 (deep comparison) ----

/** Exact, not decided by seeds: what one model round with k-step rollouts adds to the buffer (lib/deep/model-based.ts). */
export const E9_ROLLOUT_TRANSITIONS: Exercise<number> = {
  id: 'e9.rollout-transitions',
  question: `Each model round starts ${runConfig('point-maze', 'mnm', 'paper', 10).model.rolloutBatch} rollouts from real states. With a horizon of $k = 10$ model steps, at most how many model transitions does one round add to the model buffer?`,
  truth: () => {
    const m = runConfig('point-maze', 'mnm', 'paper', 10).model;
    return m.rolloutBatch * m.horizon;
  },
  why: (n) => {
    const m = runConfig('point-maze', 'mnm', 'paper', 10).model;
    return `${m.rolloutBatch} starts × ${m.horizon} steps = ${n} (fewer only where a rollout ends early). With $k = 1$ a round adds ${m.rolloutBatch}: a longer horizon multiplies the model data by $k$, and every step after the first starts from a state the model itself predicted, so its errors compound.`;
  },
};

/** The return of a Pendulum episode held upright at rest with no torque, simulated with the library's environment. */
function pendulumUprightReturn(): number {
  const env = new Pendulum();
  env.resetToObs([1, 0, 0]);
  let total = 0;
  for (let t = 0; t < PENDULUM.maxSteps; t++) total += env.step([0]).reward;
  return total === 0 ? 0 : total; // -0 prints as 0
}

/** Exact, not decided by seeds: the ceiling of every Pendulum return, which the figure's bands must respect. */
export const E10_PENDULUM_MAX: Exercise<number> = {
  id: 'e10.pendulum-max',
  question: `Pendulum-v1 pays $-(\\theta^2 + 0.1\\,\\dot\\theta^2 + 0.001\\,u^2)$ per step. What is the highest return a ${PENDULUM.maxSteps}-step episode can earn?`,
  truth: () => pendulumUprightReturn(),
  why: (best) =>
    `${fmt(best)}: every term of the cost is at least 0, so no step pays more than 0, and the pendulum held upright at rest with no torque pays exactly 0 (simulated here). Every Pendulum return is negative; the figure's bands are cut at ${fmt(best)}.`,
};

// ---- notebooks 01–04: answers computed from the library, or judged against the report of the run just made ----

/** A number of a report table's row; the exercises of notebooks 01–04 read the run through it. */
const cell = (rep: Pick<Report, 'tables'>, table: string, match: Record<string, string>, column: string) =>
  numberIn(rowWhere(rep.tables[table], match, `exercise: ${table}`), column);
const labelOf = (variants: readonly { key: string; label: string }[], key: string) =>
  only(
    variants.filter((v) => v.key === key),
    key,
  ).label;

export const E1_FASTER: Exercise<'MnM' | 'Q-learning', Pick<Report, 'tables'>> = {
  id: 'e1.faster',
  question:
    "On average over the seeds, which reaches $0.9\\,J^*$ in fewer updates (a seed that never does counts the whole budget): 'MnM' or 'Q-learning' on the true model?",
  choices: ['MnM', 'Q-learning'],
  truth: (rep) => {
    const u = (key: string) => cell(rep, 'by_method', { method: labelOf(E1_VARIANTS, key) }, 'updates_to_good_mean');
    return u('mnm') < u('q-true') ? 'MnM' : 'Q-learning';
  },
  why: (_, rep) => {
    const u = (key: string) => fmt(cell(rep, 'by_method', { method: labelOf(E1_VARIANTS, key) }, 'updates_to_good_mean'));
    return `Mean updates to $0.9\\,J^*$ in this run: MnM ${u('mnm')}, Q-learning ${u('q-true')} (Q-learning with log r: ${u('q-true-log')}).`;
  },
};

/** log r = a·r + b through E1's two rewards, and the Q0 that makes Q-learning with r act as Q-learning with log r from 0. */
function logRewardLine() {
  const g = e1Grid();
  const rewards = [...new Set(g.mdp.reward)].sort((x, y) => x - y);
  const [rFree, rGoal] = [rewards[0], rewards[rewards.length - 1]];
  const a = (Math.log(rGoal) - Math.log(rFree)) / (rGoal - rFree);
  const b = Math.log(rFree) - a * rFree;
  return { rFree, rGoal, gamma: g.mdp.gamma, a, b, q0: -b / (a * (1 - g.mdp.gamma)) };
}

export const E1_LOG_R_START: Exercise<number> = {
  id: 'e1.log-r-start',
  question:
    'On the E1 map $r$ takes two values (every step, and the absorbing goal), so $\\log r = a\\,r + b$. Q-learning with $\\log r$ from $Q = 0$ then ' +
    'makes the same choices as Q-learning with $r$ started from which $Q_0$?',
  truth: () => logRewardLine().q0,
  why: () => {
    const l = logRewardLine();
    return (
      `$\\log r = ${fmt(l.a, 4)}\\,r ${l.b < 0 ? '-' : '+'} ${fmt(Math.abs(l.b), 4)}$ through $r = ${l.rFree}$ and $r = ${l.rGoal}$, so ` +
      `$Q_0 = -b/(a(1-\\gamma)) = ${fmt(l.q0, 4)}$, which is $r_{\\max}/(1-\\gamma) = ${fmt(l.rGoal / (1 - l.gamma), 4)}$: the textbook optimistic start.`
    );
  },
};

export const E1_TILT: Exercise<'toward' | 'away from'> = {
  id: 'e1.tilt',
  question:
    "In the exact optimistic model $q^*$ of the E1 grid (Eq. 5 reward), do most arrows of $q - p$ point 'toward' or 'away from' the goal?",
  choices: ['toward', 'away from'],
  truth: () => (e1ExactTilt() > 0.5 ? 'toward' : 'away from'),
  why: () =>
    `${fmt(100 * e1ExactTilt(), 3)}% of the exact $q^*$'s arrows point toward the goal: $q^* \\propto p \\cdot \\exp(\\gamma V)$ moves the noise toward the successors of high value.`,
};

function e1ExactTilt(): number {
  const g = e1Grid();
  return fractionTowardGoal(modelShift(g, eq5OptimisticModel(g.mdp).q, g.mdp), g.cellOf(g.goal)).fraction;
}

export const E2_WALL_P: Exercise<number> = {
  id: 'e2.wall-p',
  question:
    "From cell (5,0), just below the upper wall, the block model's 'up' lands on (3,0), through the wall. What is the true probability $p$ of that transition?",
  truth: () =>
    only(
      blockModelCandidates(e2Grid(), 5, 0, 0).filter((c) => c.relative_move === 'up'),
      'up',
    ).true_p,
  why: (p) =>
    `$p = ${fmt(p)}$: in the true dynamics a move into a wall stays put. Only the classifier can tell the policy that the model's jump is fake; its $\\log p/q$ there is $-\\infty$.`,
};

export const E2_ABLATION: Exercise<'yes' | 'no', Pick<Report, 'tables'>> = {
  id: 'e2.ablation',
  question: "Does the ablation without the classifier term reach the goal in most seeds: 'yes' or 'no'?",
  choices: ['yes', 'no'],
  truth: (rep) => (cell(rep, 'by_method', { method: labelOf(E2_VARIANTS, 'mnm-no-classifier') }, 'success_rate') > 0.5 ? 'yes' : 'no'),
  why: (_, rep) => {
    const s = (key: string) => fmt(cell(rep, 'by_method', { method: labelOf(E2_VARIANTS, key) }, 'success_rate'));
    return `Success rates in this run: without the classifier ${s('mnm-no-classifier')}, MnM ${s('mnm')}.`;
  },
};

export const E2_CLIP: Exercise<'±10' | '±30' | 'same', Pick<Report, 'tables'>> = {
  id: 'e2.clip',
  question:
    "With the exact $\\log p/q$ in place of the learned classifier, which clip gives the higher success rate: '±10', '±30' or 'same'?",
  choices: ['±10', '±30', 'same'],
  truth: (rep) => {
    const s = (key: string) => cell(rep, 'by_method', { method: labelOf(E2_VARIANTS, key) }, 'success_rate');
    return s('oracle-clip30') > s('oracle-clip10') ? '±30' : s('oracle-clip30') < s('oracle-clip10') ? '±10' : 'same';
  },
  why: (_, rep) => {
    const s = (key: string) => fmt(cell(rep, 'by_method', { method: labelOf(E2_VARIANTS, key) }, 'success_rate'));
    return `Success rates: clip ±10 ${s('oracle-clip10')}, clip ±30 ${s('oracle-clip30')}. The wider clip lets the penalty on wall-crossing outweigh the value behind the wall.`;
  },
};

const sideOf = (params: RiskMDPParams, method: string) =>
  only(
    solveRiskMDP(params).methods.filter((m) => m.method === method),
    method,
  );
const riskWhy = (params: RiskMDPParams, method: string) => {
  const m = sideOf(params, method);
  const s = solveRiskMDP(params);
  return (
    `Solved exactly at γ ${params.gamma}, wind ${params.wind}: ${method}'s $Q(\\text{Center}, \\text{left}) = ${fmt(m.qLeft)}$, $Q(\\text{Center}, \\text{right}) = ${fmt(m.qRight)}$. ` +
    `True mean returns: Left ${fmt(s.moments.Left.mean)}, Right ${fmt(s.moments.Right.mean)} (std ${fmt(s.moments.Right.std)}).`
  );
};

export const E3_MNM_SIDE: Exercise<'Left' | 'Right', RiskMDPParams> = {
  id: 'e3.mnm-side',
  question: "At the numbers of the parameters cell, which side does MnM pick from Center: 'Left' or 'Right'?",
  choices: ['Left', 'Right'],
  truth: (params) => sideOf(params, 'MnM').side,
  why: (_, params) => riskWhy(params, 'MnM'),
};

export const E3_NO_WIND: Exercise<'Left' | 'Right', RiskMDPParams> = {
  id: 'e3.no-wind',
  question: "Set the wind to 0, so that Right is a sure thing too: which side does VMBPO pick then, 'Left' or 'Right'?",
  choices: ['Left', 'Right'],
  truth: (params) => sideOf({ ...params, wind: 0 }, 'VMBPO').side,
  why: (_, params) => riskWhy({ ...params, wind: 0 }, 'VMBPO') + ' Without wind there is no spread for the optimistic model to exploit.',
};

export const E4_VMBPO_ABOVE: Exercise<'above' | 'below', Pick<Report, 'tables'>> = {
  id: 'e4.vmbpo-above',
  question: "At the last sweep of VMBPO value iteration, is the VMBPO objective 'above' or 'below' the true return J of its policy?",
  choices: ['above', 'below'],
  truth: (rep) => (lastVmbpo(rep).objective >= lastVmbpo(rep).J ? 'above' : 'below'),
  why: (side, rep) =>
    `$L_{\\text{VMBPO}} = ${fmt(lastVmbpo(rep).objective, 4)}$ against $J = ${fmt(lastVmbpo(rep).J, 4)}$: ${side} it, as Fig. 3b says; its optimistic model pays for its tilt only with a KL in raw reward units.`,
};

function lastVmbpo(rep: Pick<Report, 'tables'>) {
  const rows = (rep.tables.along?.toRecords() ?? []).filter((r) => r.run === 'vmbpo');
  const last = rows.at(-1);
  if (!last) throw new Error('exercise: no sweep of the VMBPO run in the along table');
  return { objective: numberIn(last, 'vmbpo_objective'), J: numberIn(last, 'J') };
}

export const E5_ANY_ABOVE: Exercise<'yes' | 'no', Pick<Report, 'tables'>> = {
  id: 'e5.any-above',
  question:
    "Among this run's random (MDP, policy, model) triples, is there any whose bound $L(\\pi, q)$ lies above $\\log J(\\pi)$: 'yes' or 'no'?",
  choices: ['yes', 'no'],
  truth: (rep) => (minTripleGap(rep) < -1e-12 ? 'yes' : 'no'),
  why: (_, rep) =>
    `The smallest gap $\\log J - L$ over all triples is ${fmt(minTripleGap(rep), 3)}: Theorem 3.1 holds for every policy and every model, so no triple can beat it.`,
};

function minTripleGap(rep: Pick<Report, 'tables'>): number {
  return Math.min(...(rep.tables.triples_summary?.toRecords() ?? []).map((r) => numberIn(r, 'min_gap')));
}

export const E5_DETERMINISTIC_ZERO: Exercise<'always' | 'sometimes' | 'never', Pick<Report, 'tables'>> = {
  id: 'e5.deterministic-zero',
  question:
    "With deterministic dynamics, is the Eq. 2 gap $\\log J(\\pi^*) - L(\\pi^*, q^*)$ at the MnM optimum zero 'always', 'sometimes' or 'never'?",
  choices: ['always', 'sometimes', 'never'],
  truth: (rep) => {
    const { zero, all } = deterministicZeros(rep);
    return zero === all ? 'always' : zero === 0 ? 'never' : 'sometimes';
  },
  why: (_, rep) => {
    const { zero, all } = deterministicZeros(rep);
    return `Zero (≤ 1e-9) in ${zero} of ${all} deterministic MDPs: only when the reward along the optimal path is constant. Otherwise Jensen over the geometric time weights leaves a gap.`;
  },
};

function deterministicZeros(rep: Pick<Report, 'tables'>) {
  const det = (rep.tables.optima?.toRecords() ?? []).filter((r) => r.dynamics === 'deterministic');
  return { zero: det.filter((r) => numberIn(r, 'gap_at_optimum') <= 1e-9).length, all: det.length };
}
