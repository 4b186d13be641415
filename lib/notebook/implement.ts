/**
 * "Write it yourself" cells: the reader implements one core step of the method in a few lines of plain
 * TypeScript over plain arrays, and `checkCode(TASK, yourFunction)` compares it with the library on small random
 * MDPs (a deterministic set of cases, so the verdict does not depend on luck). Each task's `solution` is the
 * short version a notebook shows in a collapsed cell; test/notebook/implement.test.ts checks every solution
 * against the library, and a wrong one against it too.
 */
import { Rng } from '../rng';
import { fmt } from '../stats';
import type { TabularMDP } from '../tabular/mdp';
import { methodReward } from '../tabular/mnm-agent';
import { randomMDP, randomModel, randomPolicy } from '../tabular/random-mdp';
import { backupBase, backupQ, optimisticModel, valueIteration } from '../tabular/solve';
import { tightBoundTerms } from '../tabular/tight-bound';
import { showMarkdown } from './display';

/** A small MDP as plain nested arrays: P[s][a][s'] (dense), R[s][a] > 0, and γ. */
export interface PlainMDP {
  P: number[][][];
  R: number[][];
  gamma: number;
}

export interface CodeTask<F, Case> {
  id: string;
  /** What to write, one sentence (markdown). */
  what: string;
  /** The cases the reader's function is run on (deterministic). */
  cases: () => Case[];
  /** Calls a function (the reader's or the library's) on a case; returns the numbers to compare. */
  run: (f: F, c: Case) => number[];
  /** The library's answer for a case. */
  reference: (c: Case) => number[];
  /** The short solution a collapsed cell shows. */
  solution: F;
  /** Absolute tolerance per number. */
  tolerance: number;
}

/** A dense plain copy of a (random) tabular MDP. */
export function plainMDP(mdp: TabularMDP): PlainMDP {
  const { S, A, rowStart, next, prob, reward, gamma } = mdp;
  const P = Array.from({ length: S }, (_, s) =>
    Array.from({ length: A }, (_, a) => {
      const row = new Array<number>(S).fill(0);
      const i = s * A + a;
      for (let k = rowStart[i]; k < rowStart[i + 1]; k++) row[next[k]] += prob[k];
      return row;
    }),
  );
  const R = Array.from({ length: S }, (_, s) => Array.from({ length: A }, (_, a) => reward[s * A + a]));
  return { P, R, gamma };
}

/** Eight small random MDPs (2–5 states, 2–3 actions, sparse rows so some successors have p = 0). */
function smallMDPs(label: string): TabularMDP[] {
  const rng = new Rng(`implement/${label}`);
  return Array.from({ length: 8 }, (_, i) => {
    const S = 2 + (i % 4);
    return randomMDP(rng.fork(String(i)), {
      S,
      A: 2 + (i % 2),
      gamma: [0.5, 0.9, 0.95, 0.99][i % 4],
      successors: Math.max(1, S - (i % 2)),
      rewardRange: [0.05, 2],
    });
  });
}

const flat = (x: number[][] | number[][][]): number[] => x.flat(2);

// ---- notebook 01: the optimistic model's tilt ----

export type TiltFn = (P: number[][][], V: number[], gamma: number) => number[][][];
type TiltCase = { mdp: TabularMDP; V: number[] };

export const WRITE_TILT: CodeTask<TiltFn, TiltCase> = {
  id: 'write.q-star-tilt',
  what: "q*(s'|s,a) ∝ p(s'|s,a) · exp(γ V(s')): return the optimistic model as Q[s][a][s'], each row summing to 1.",
  cases: () => smallMDPs('tilt').map((mdp) => ({ mdp, V: Array.from(valueIteration(mdp, 'mnm').V) })),
  run: (f, { mdp, V }) => flat(f(plainMDP(mdp).P, V, mdp.gamma)),
  reference: ({ mdp, V }) => flat(plainMDP({ ...mdp, ...optimisticModel(mdp, V) }).P),
  solution: (P, V, gamma) =>
    P.map((byAction) =>
      byAction.map((row) => {
        const w = row.map((p, s2) => p * Math.exp(gamma * V[s2]));
        const z = w.reduce((a, b) => a + b, 0);
        return w.map((x) => x / z);
      }),
    ),
  tolerance: 1e-9,
};

// ---- notebook 02: the reward of Eq. 5 ----

export type Eq5Fn = (r: number, C: number) => number;
type Eq5Case = { r: number; C: number };

export const WRITE_EQ5: CodeTask<Eq5Fn, Eq5Case> = {
  id: 'write.eq5-reward',
  what: 'Eq. 5: the reward of a model transition, from the task reward r(s, a) > 0 and the classifier output C ∈ (0, 1).',
  cases: () => {
    const rng = new Rng('implement/eq5');
    return Array.from({ length: 12 }, () => ({ r: 0.01 + 2 * rng.uniform(), C: 0.02 + 0.96 * rng.uniform() }));
  },
  run: (f, { r, C }) => [f(r, C)],
  // The library's MnM learner: log r plus the classifier's logit (unclipped here: the clip is a separate choice).
  reference: ({ r, C }) => [methodReward('mnm', r, Math.log(r), Math.log(C / (1 - C)))],
  solution: (r, C) => Math.log(r) + Math.log(C / (1 - C)),
  tolerance: 1e-12,
};

// ---- notebook 03: one update of the joint (alternating) optimisation ----

export type BackupFn = (P: number[][][], R: number[][], gamma: number, V: number[]) => number[][];
type BackupCase = { mdp: TabularMDP; V: number[] };

export const WRITE_MNM_BACKUP: CodeTask<BackupFn, BackupCase> = {
  id: 'write.mnm-backup',
  what: "One MnM update, the model step and the policy step at once: Q(s,a) = (1−γ)(log r(s,a) − log(1−γ)) + log Σ_s' p(s'|s,a) exp(γ V(s')). Return Q[s][a].",
  cases: () => {
    const rng = new Rng('implement/backup');
    return smallMDPs('backup').map((mdp) => ({ mdp, V: Array.from({ length: mdp.S }, () => 3 * rng.normal()) }));
  },
  run: (f, { mdp, V }) => {
    const { P, R, gamma } = plainMDP(mdp);
    return flat(f(P, R, gamma, V));
  },
  reference: ({ mdp, V }) => {
    const Q = new Float64Array(mdp.S * mdp.A);
    backupQ(mdp, { soft: true, base: backupBase(mdp, 'mnm') }, Float64Array.from(V), Q);
    return Array.from(Q);
  },
  solution: (P, R, gamma, V) =>
    P.map((byAction, s) =>
      byAction.map((row, a) => {
        const soft = Math.log(row.reduce((acc, p, s2) => acc + p * Math.exp(gamma * V[s2]), 0));
        return (1 - gamma) * (Math.log(R[s][a]) - Math.log(1 - gamma)) + soft;
      }),
    ),
  tolerance: 1e-9,
};

// ---- notebook 04: the sum of Eq. 10 ----

export type TightSumFn = (logReward: number[], kl: number[], gamma: number) => number;
type TightCase = { logReward: number[]; kl: number[]; gamma: number; value: number };

export const WRITE_EQ10: CodeTask<TightSumFn, TightCase> = {
  id: 'write.eq10-sum',
  what: "Eq. 10 from its per-step terms R_t = E[log r] and KL_t: log Σ_t exp(R_t + t·log γ − Σ_{t'<t} KL_t').",
  cases: () => {
    const rng = new Rng('implement/eq10');
    return smallMDPs('eq10').map((mdp, i) => {
      const r = rng.fork(String(i));
      const terms = tightBoundTerms(mdp, randomPolicy(r, mdp.S, mdp.A), randomModel(r, mdp));
      return { logReward: terms.logReward, kl: terms.kl, gamma: mdp.gamma, value: terms.value };
    });
  },
  run: (f, c) => [f(c.logReward, c.kl, c.gamma)],
  reference: (c) => [c.value],
  solution: (logReward, kl, gamma) => {
    let paid = 0;
    let sum = 0;
    logReward.forEach((R, t) => {
      sum += Math.exp(R + t * Math.log(gamma) - paid);
      paid += kl[t];
    });
    return Math.log(sum);
  },
  tolerance: 1e-9,
};

export interface CodeJudgement {
  /** null: nothing written yet. */
  right: boolean | null;
  markdown: string;
}

/** Runs `f` on every case of `task` against the library; the first mismatch, or how close it came. */
export function judgeCode<F, Case>(task: CodeTask<F, Case>, f: F | undefined): CodeJudgement {
  if (f === undefined || f === null)
    return { right: null, markdown: `**Write it yourself.** ${task.what} Fill in the function in the cell above and run it again.` };
  const cases = task.cases();
  let worst = 0;
  for (let i = 0; i < cases.length; i++) {
    const want = task.reference(cases[i]);
    let got: number[];
    try {
      got = task.run(f, cases[i]);
    } catch (e) {
      return { right: false, markdown: `✘ **Your function threw** on case ${i + 1} of ${cases.length}: ${(e as Error).message}` };
    }
    if (!Array.isArray(got) || got.length !== want.length)
      return {
        right: false,
        markdown: `✘ **Wrong shape** on case ${i + 1}: ${want.length} number(s) expected, got ${Array.isArray(got) ? got.length : typeof got}.`,
      };
    for (let j = 0; j < want.length; j++) {
      const d = Math.abs(got[j] - want[j]);
      if (!(d <= task.tolerance * Math.max(1, Math.abs(want[j]))))
        return {
          right: false,
          markdown: `✘ **Not quite:** on case ${i + 1} of ${cases.length}, entry ${j + 1} is ${fmt(got[j])} where the library gives ${fmt(want[j])}.`,
        };
      worst = Math.max(worst, d);
    }
  }
  return {
    right: true,
    markdown: `✔ **Right:** your function agrees with the library on all ${cases.length} cases (largest difference ${worst.toExponential(1)}).`,
  };
}

/** Shows the judgement of the reader's function as one markdown output. */
export function checkCode<F, Case>(task: CodeTask<F, Case>, f: F | undefined): void {
  showMarkdown(judgeCode(task, f).markdown);
}
