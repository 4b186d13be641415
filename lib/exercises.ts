/**
 * Prediction exercises for the notebooks: the reader writes an answer in a cell and `check(id, answer)` says whether
 * it is right and why. The right answer is never stored: each exercise computes it from the library (or from the
 * run the notebook just made), so it follows the code. test/exercises.test.ts runs every exercise with its right
 * answer and with a wrong one.
 */
import { showMarkdown } from './plot/display';
import { fmt } from './stats';
import { RISK_MDP_DEFAULTS, solveRiskMDP } from './tabular/risk-mdp';

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

/** Shows the judgement of an answer as one markdown output. */
export function check<A, Ctx>(ex: Exercise<A, Ctx>, answer: A | undefined, ...ctx: Ctx extends undefined ? [] : [Ctx]): Judgement {
  const j = judge(ex, answer, ctx[0] as Ctx);
  showMarkdown(j.markdown);
  return j;
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
