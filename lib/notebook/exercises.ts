/**
 * Prediction exercises for the notebooks: the reader writes an answer in a cell and `check(id, answer)` says whether
 * it is right and why. The right answer is never stored: each exercise computes it from the library (or from the
 * run the notebook just made), so it follows the code. test/notebook/exercises.test.ts runs every exercise with its right
 * answer and with a wrong one.
 */
import type { SeedResult } from '../experiment';
import { ALGO_LABEL } from '../experiments/deep-runs';
import { type E7Tables, summariseE7 } from '../experiments/e7-q-value-stability';
import { type E8Tables, summariseE8 } from '../experiments/e8-model-error';
import { type E9Tables, HORIZONS, summariseE9 } from '../experiments/e9-rollout-horizon';
import { type E10Tables, summariseE10 } from '../experiments/e10-deep-comparison';
import { fmt, mean } from '../stats';
import { RISK_MDP_DEFAULTS, solveRiskMDP } from '../tabular/risk-mdp';
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
    return { right: null, markdown: `**${ex.question}** Write your answer${options} in the cell above and run it again.` };
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

/** The rows of E6's `by_target` table the exercises read. */
export interface E6TargetRow {
  target: string;
  start: string;
  updates_to_good_mean: number;
}

const updates = (rows: E6TargetRow[], target: string, start: string) => {
  const r = rows.find((x) => x.target === target && x.start === start);
  if (!r) throw new Error(`no E6 row for target ${target}, start ${start}`);
  return r.updates_to_good_mean;
};

export const E6_SIMILAR_FASTER: Exercise<'transfer' | 'scratch', E6TargetRow[]> = {
  id: 'e6.similar-faster',
  question: "On the similar goal, which start reaches 0.9 J* in fewer updates on average: 'transfer' or 'scratch'?",
  choices: ['transfer', 'scratch'],
  truth: (rows) => (updates(rows, 'similar', 'transfer') <= updates(rows, 'similar', 'scratch') ? 'transfer' : 'scratch'),
  why: (_, rows) =>
    `Mean updates to 0.9 J* in this run: transfer ${fmt(updates(rows, 'similar', 'transfer'))}, scratch ${fmt(updates(rows, 'similar', 'scratch'))}.`,
};

export const E6_CONTROL: Exercise<'faster' | 'slower', E6TargetRow[]> = {
  id: 'e6.control',
  question: "On the similar goal, is the control (model = true p) 'faster' or 'slower' than the transferred optimistic model?",
  choices: ['faster', 'slower'],
  truth: (rows) => (updates(rows, 'similar', 'true-p') < updates(rows, 'similar', 'transfer') ? 'faster' : 'slower'),
  why: (_, rows) =>
    `Mean updates to 0.9 J*: true p ${fmt(updates(rows, 'similar', 'true-p'))}, transfer ${fmt(updates(rows, 'similar', 'transfer'))}. ` +
    'If the control is as fast, knowing the true action effects alone could explain the transfer’s gain.',
};

// ---- notebook 05 (Q-value stability): answers judged against the results shown ----

export const E7_MBPO_SIDE: Exercise<'above' | 'below', SeedResult<E7Tables>[]> = {
  id: 'e7.mbpo-side',
  question: "At the last evaluation, is MBPO's mean Q estimate 'above' or 'below' the soft Monte Carlo return its policy really gets?",
  choices: ['above', 'below'],
  truth: (results) => (mean(summariseE7(results, 'paper').final.mbpo.gap) > 0 ? 'above' : 'below'),
  why: (side, results) => {
    const f = summariseE7(results, 'paper').final.mbpo;
    return `Final Q ${fmt(mean(f.q))} against a Monte Carlo return of ${fmt(mean(f.mc))}: the critic is ${side} it by ${fmt(Math.abs(mean(f.gap)))} on average over ${f.gap.length} seeds.`;
  },
};

export const E8_WORSE_WHERE_POLICY_GOES: Exercise<'MBPO' | 'MnM-approx', SeedResult<E8Tables>[]> = {
  id: 'e8.policy-error',
  question:
    "Whose model is relatively worse on the states its own policy visits (policy-state error over replay validation error, at the end): 'MBPO' or 'MnM-approx'?",
  choices: ['MBPO', 'MnM-approx'],
  truth: (results) => {
    const r = summariseE8(results, 'paper').policyRatio;
    return mean(r.mbpo) >= mean(r.mnm) ? 'MBPO' : 'MnM-approx';
  },
  why: (_, results) => {
    const r = summariseE8(results, 'paper').policyRatio;
    return `Mean ratio at the last evaluation: MBPO ×${fmt(mean(r.mbpo))}, MnM-approx ×${fmt(mean(r.mnm))} (1 = as accurate as on replay data).`;
  },
};

// ---- notebook 07 (deep comparison) ----

export const E10_PENDULUM_BEST: Exercise<'SAC (model-free)' | 'MBPO' | 'MnM-approx', SeedResult<E10Tables>[]> = {
  id: 'e10.pendulum-best',
  question: "On Pendulum, which agent ends with the highest mean final return: 'SAC (model-free)', 'MBPO' or 'MnM-approx'?",
  choices: ['SAC (model-free)', 'MBPO', 'MnM-approx'],
  truth: (results) => {
    const s = summariseE10(results, 'paper');
    const best = (['sac', 'mbpo', 'mnm'] as const).reduce((a, b) =>
      mean(s.finals('pendulum', b)) > mean(s.finals('pendulum', a)) ? b : a,
    );
    return ALGO_LABEL[best] as 'SAC (model-free)' | 'MBPO' | 'MnM-approx';
  },
  why: (_, results) => {
    const s = summariseE10(results, 'paper');
    return `Mean final Pendulum returns: ${(['sac', 'mbpo', 'mnm'] as const).map((a) => `${ALGO_LABEL[a]} ${fmt(mean(s.finals('pendulum', a)))}`).join(', ')}.`;
  },
};

export const E9_LONGEST_WORSE: Exercise<'yes' | 'no', SeedResult<E9Tables>[]> = {
  id: 'e9.longest-worse',
  question: "Is MnM-approx's mean final return with 10-step model rollouts below its return with 1-step rollouts: 'yes' or 'no'?",
  choices: ['yes', 'no'],
  truth: (results) => {
    const s = summariseE9(results, 'paper', [...HORIZONS]);
    return mean(s.finals.get(10) ?? []) < mean(s.finals.get(1) ?? []) ? 'yes' : 'no';
  },
  why: (_, results) => {
    const s = summariseE9(results, 'paper', [...HORIZONS]);
    return `Mean final returns: k=1 ${fmt(mean(s.finals.get(1) ?? []))}, k=10 ${fmt(mean(s.finals.get(10) ?? []))}; slope ${fmt(s.slope)} per extra model step.`;
  },
};
