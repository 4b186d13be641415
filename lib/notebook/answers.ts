/**
 * The **Answer** and **Summary** at the end of notebooks 01–07, generated from the run the notebook just made: every
 * verdict is read from the report's claims (through `verdict` and `verdictText`, so it follows the claim rule of
 * lib/claims.ts) and every number from a claim's measured text or a report table. Only the lesson line of a summary
 * is fixed prose, and it states no number or verdict.
 */
import type { Claim, Report } from '../experiment';
import { verdict, verdictText } from '../claims';
import { fmt } from '../stats';
import { stageBAnswer, type StageBSummary } from '../experiments/e7-q-value-stability';
import { showMarkdown } from './display';

/** One half of a notebook (the paper's setting, the project's, one experiment of a deep notebook) and its claims. */
export interface AnswerPart {
  /** e.g. "Under the paper's setting (the authors' map, rewards and learner)". */
  label: string;
  claims: Claim[];
}

export interface AnswerSpec {
  /** The notebook's question, as its objectives ask it. */
  question: string;
  parts: AnswerPart[];
  /** The answer in one generated paragraph a student can quote, given before the claims it rests on. */
  paragraph?: string;
  /** Extra generated sentences (numbers from tables), after the parts. */
  notes?: string[];
  /** A generated summary line for a notebook with one part (the summary then has three lines all the same). */
  summaryLine?: string;
  /** The summary's last line: what to take away, fixed prose stating no number or verdict. */
  lesson: string;
}

/** "[paper setting] MnM …" → "MnM …": the part's label already says which setting. */
const claimText = (c: Claim) => plain(c.claim.replace(/^\[[^\]]*\]\s*/, ''));

/** Claims are plain text: a star or underscore in them (J-star, J-star over 2) must not start or end an emphasis around them. */
const plain = (s: string) => s.replace(/([*_])/g, '\\$1');

/** The first clause of a claim's measured text (up to the first "; " or " | " outside brackets), at most ~240 characters. */
export function headline(measured: string): string {
  let depth = 0;
  for (let i = 0; i < measured.length; i++) {
    const ch = measured[i];
    if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else if (depth === 0 && (measured.startsWith('; ', i) || measured.startsWith(' | ', i))) return clip(measured.slice(0, i));
  }
  return clip(measured);
}

/** A measured text in one short paragraph: cut at a word past 240 characters. */
const clip = (raw: string) => {
  const s = plain(raw);
  return s.length <= 240 ? s : `${s.slice(0, 237).replace(/\s+\S*$/, '')} …`;
};

/** A verdict for prose: "holds", "does **not** hold", "is **inconclusive** (reason)". */
export function verdictWords(c: Claim): string {
  const v = verdict(c);
  if (v === 'holds') return 'holds';
  if (v === 'does not hold') return 'does **not** hold';
  return plain(verdictText(c)).replace(/^is inconclusive/, 'is **inconclusive**');
}

/** Why a claim is inconclusive, read from its verdict text (lib/claims.ts), so it follows the claim rule. */
function reasonOf(c: Claim): string {
  return verdictText(c).replace(/^is inconclusive \((.*)\)$/s, '$1');
}

/** "2 of 3 hold" (with the inconclusive ones counted apart). */
export function tally(claims: Claim[]): string {
  const held = claims.filter((c) => verdict(c) === 'holds').length;
  const open = claims.filter((c) => verdict(c) === 'inconclusive').length;
  return `${held} of ${claims.length} claim${claims.length === 1 ? '' : 's'} hold${open > 0 ? `, ${open} inconclusive` : ''}`;
}

/** The Answer paragraph (one bullet per claim, with its verdict and headline numbers) and the three-line Summary. */
export function answerMarkdown(spec: AnswerSpec): string {
  const lines = [`**Answer.** ${spec.question}`, ''];
  if (spec.paragraph) lines.push(plain(spec.paragraph), '');
  for (const part of spec.parts) {
    lines.push(`*${part.label}*: ${part.claims.length === 0 ? 'no claims were checked.' : `${tally(part.claims)}.`}`, '');
    // One reason shared by several inconclusive claims is given once, after them.
    const open = part.claims.filter((c) => verdict(c) === 'inconclusive');
    const reasons = new Set(open.map(reasonOf));
    const shared = open.length > 1 && reasons.size === 1 ? reasonOf(open[0]) : undefined;
    for (const c of part.claims) {
      const words = shared !== undefined && verdict(c) === 'inconclusive' ? 'is **inconclusive** (why: below)' : verdictWords(c);
      lines.push(`- ${claimText(c)}: ${words}. Measured: ${headline(c.measured)}.`);
    }
    if (shared !== undefined) lines.push('', `Why these ${open.length} are inconclusive: ${plain(shared)}.`);
    lines.push('');
  }
  for (const n of (spec.notes ?? []).filter((x) => x !== '')) lines.push(n, '');
  lines.push('**Summary**', '');
  lines.push(...spec.parts.slice(0, 2).map((p) => `- ${p.label}: ${tally(p.claims)}${agreement(p.claims)}.`));
  if (spec.summaryLine) lines.push(`- ${spec.summaryLine}`);
  if (spec.parts.length > 2)
    lines[lines.length - 1] += ` ${spec.parts
      .slice(2)
      .map((p) => `${p.label}: ${tally(p.claims)}.`)
      .join(' ')}`;
  lines.push(`- ${spec.lesson}`);
  return lines.join('\n');
}

/** ": the one that does not is …" naming the claims that fail or stay open, shortly. */
function agreement(claims: Claim[]): string {
  const other = claims.filter((c) => verdict(c) !== 'holds');
  // Named only when few: a long list belongs to the Answer above, not to a three-line summary.
  if (other.length === 0 || other.length === claims.length || other.length > 2) return '';
  return ` (not: ${other.map((c) => `"${short(claimText(c))}"`).join('; ')})`;
}

const short = (s: string) => (s.length <= 90 ? s : `${s.slice(0, 87).replace(/\s+\S*$/, '')} …`);

/** Shows the generated Answer and Summary as one markdown output. */
export function showAnswer(spec: AnswerSpec): void {
  showMarkdown(answerMarkdown(spec));
}

// ---- the two halves of notebooks 01–04, claim by claim ----

/**
 * Which project-setting claims answer each paper-setting claim (the pairs the paper claims' measured text names
 * through `projectCounterpart` when both settings run). test/notebook/answers.test.ts checks every id against the reports.
 */
export const COUNTERPARTS: Record<string, string[]> = {
  'E1.paper.mnm-ends-above': ['E1.mnm-faster-than-q-learning'],
  'E1.paper.q-above-vmbpo': ['E1.vmbpo-worse-than-both'],
  'E1.paper.mnm-first-vs-log-r-control': ['E1.speed-from-optimistic-dynamics'],
  'E1.paper.mnm-rises-first': ['E1.mnm-faster-than-q-learning'],
  'E1.paper.arrows-toward-goal': ['E1.model-noise-toward-goal'],
  'E2.paper.block-reaches-goal': ['E2.mnm-reaches-goal'],
  'E2.paper.ablation-stays-at-wall': ['E2.ablation-fails'],
  'E3.paper.mnm-return-optimal': ['E3.mnm-reward-side'],
  'E3.paper.vmbpo-lower': ['E3.vmbpo-risky-side'],
  'E4.paper.bounds-below-log-j': ['E4.mnm-below-log-return'],
  'E4.paper.vmbpo-above-log-j': ['E4.vmbpo-above-return'],
};

/** One sentence per paired paper claim: its verdict, its project counterparts' verdicts, and whether they agree. */
export function reconcile(paper: Claim[], project: Claim[]): string[] {
  const lines: string[] = [];
  for (const p of paper) {
    const twins = (COUNTERPARTS[p.id] ?? []).map((id) => project.find((c) => c.id === id)).filter((c): c is Claim => c !== undefined);
    if (twins.length === 0) continue;
    const agree = twins.every((c) => verdict(c) === verdict(p));
    lines.push(
      `- "${short(claimText(p))}" ${verdictWords(p)} under the paper's setting; under the project's, ` +
        `${twins.map((c) => `"${short(claimText(c))}" ${verdictWords(c)}`).join(' and ')}: ${agree ? '**the halves agree**' : '**the halves differ**'}.`,
    );
  }
  return lines.length ? ['**The two halves, claim by claim.**', '', ...lines] : [];
}

// ---- one answer per notebook: its question, its parts, its lesson ----

const PAPER = "Under the paper's setting (the authors' maps, rewards and procedures)";
const PROJECT = "Under the project's settings (chosen before the authors' notebook was known)";

type Claims = Pick<Report, 'claims'>;

export function answerE1(rep: Claims, paperRep: Claims): AnswerSpec {
  return {
    question: "Does MnM's optimistic model make a learner reach the goal sooner than Q-learning and VMBPO?",
    parts: [
      { label: PAPER, claims: paperRep.claims },
      { label: PROJECT, claims: rep.claims },
    ],
    notes: [reconcile(paperRep.claims, rep.claims).join('\n')],
    lesson:
      'Beating plain Q-learning is not evidence for the optimistic model by itself: the log reward alone makes a zero-initialised Q table optimistic, so the fair comparison is MnM against Q-learning with log r.',
  };
}

export function answerE2(rep: Claims, paperRep: Claims): AnswerSpec {
  return {
    question: 'With a model too coarse to see the walls, does the classifier term keep the policy out of them?',
    parts: [
      { label: PAPER, claims: paperRep.claims },
      { label: PROJECT, claims: rep.claims },
    ],
    notes: [reconcile(paperRep.claims, rep.claims).join('\n')],
    lesson:
      'The classifier term is a bounded penalty (a clipped logit, or a clipped KL); it keeps the policy out of the walls only where it outweighs the value the model promises behind them.',
  };
}

export function answerE3(rep: Claims, paperRep: Claims): AnswerSpec {
  return {
    question: 'When a risky side pays more per step but less on average, which side do MnM and VMBPO choose?',
    parts: [
      { label: PAPER, claims: paperRep.claims },
      { label: PROJECT, claims: rep.claims },
    ],
    notes: [reconcile(paperRep.claims, rep.claims).join('\n')],
    lesson:
      "Both objectives pick an optimistic model; what separates them is the reward: MnM's log r (weighted by 1 − γ) makes a spread-out return cost something, VMBPO's raw r does not.",
  };
}

export function answerE4(e4: Claims, paperRep: Claims, e5: Claims): AnswerSpec {
  return {
    question: "Does MnM's objective stay below the true log return, and VMBPO's above it? Is the bound tight at the optimum?",
    parts: [
      { label: "Fig. 3b under the paper's setting", claims: paperRep.claims },
      { label: 'Along value iteration on the E1 grid (E4)', claims: e4.claims },
      { label: 'On random MDPs (E5, Table 1)', claims: e5.claims },
    ],
    notes: [reconcile(paperRep.claims, e4.claims).join('\n')],
    lesson:
      'Theorem 3.1 is a statement about every policy and every model, so one triple above log J would refute it; the gap at the optimum comes from Jensen over the geometric time weights and from the KL price of an optimistic model.',
  };
}

/** Mean updates to 0.9 J* of one target and start, from E6's by_target table. */
function e6Updates(rep: Pick<Report, 'tables'>, target: string, start: string): number | undefined {
  const row = (rep.tables.by_target?.toRecords() ?? []).find((r) => r.target === target && r.start === start);
  return row === undefined ? undefined : Number(row.updates_to_good_mean);
}

export function answerE6(rep: Pick<Report, 'claims' | 'tables'>): AnswerSpec {
  const [transfer, control, scratch] = (['transfer', 'true-p', 'scratch'] as const).map((s) => e6Updates(rep, 'similar', s));
  return {
    question: "Does MnM's optimistic model, learned for one goal, help it learn a new goal on the same grid?",
    parts: [{ label: 'Transfer to a similar and a dissimilar goal (Fig. 13)', claims: rep.claims }],
    summaryLine:
      transfer === undefined || control === undefined || scratch === undefined
        ? 'The control started from the true p was not run.'
        : `On the similar goal, mean updates to 0.9 J*: transfer ${fmt(transfer)}, scratch ${fmt(scratch)}, the control started from the true p ${fmt(control)}.`,
    lesson:
      'A transferred model carries the true action effects and the optimistic tilt at once; only a control that has the first without the second can say which of them helps.',
  };
}

/** Notebook 05: E7 and E8 from the reference (or a fresh) run. Inconclusive verdicts carry the reason that applied. */
export function answerDeepStability(e7: Claims, e8: Claims, stageB: StageBSummary): AnswerSpec {
  const stage = (prefix: string) => e7.claims.filter((c) => c.id.startsWith(prefix));
  return {
    question:
      "When a model can be exploited, does MBPO's critic promise more than its policy earns, and does MnM-approx's (or the Eq. 5 agent's) stay honest?",
    paragraph: stageBAnswer(stageB),
    parts: [
      { label: 'The mechanism, exact (E7 Stage A, a 3×3 block model on a gridworld)', claims: stage('E7.A.') },
      { label: 'Deep agents on the point maze (E7 Stage B, Fig. 7a)', claims: stage('E7.B.') },
      { label: 'Model error (E8, Fig. 7b)', claims: e8.claims },
    ],
    lesson:
      'A critic can be off its return for reasons that have nothing to do with the model (a lagging target network, a policy that has not learned); only an experiment with controls for those, and a model that can be exploited at all, can show exploitation, or its absence.',
  };
}

/** One row of E10's final_returns table. */
interface FinalRow {
  panel: string;
  x: string;
  mean: number;
  seeds: number;
}

function finalRows(rep: Pick<Report, 'tables'>): FinalRow[] {
  const t = rep.tables.final_returns;
  if (!t) throw new Error('answer: the E10 report has no final_returns table');
  return t.toRecords().map((r) => ({ panel: String(r.panel), x: String(r.x), mean: Number(r.mean), seeds: Number(r.seeds) }));
}

/**
 * Per task of E10, its agents' mean final returns in words; where an agent ends far below the best one (under half of
 * the best's return when that is positive, more than twice as negative when it is negative), the sentence says so.
 */
export function e10TaskSentences(rep: Pick<Report, 'tables'>): string[] {
  const rows = finalRows(rep);
  const tasks = [...new Set(rows.map((r) => r.panel))];
  return tasks.map((task) => {
    const here = rows.filter((r) => r.panel === task).sort((a, b) => b.mean - a.mean);
    const best = here[0];
    const list = here.map((r) => `${r.x} ${fmt(r.mean, 3)}`).join(', ');
    const far = here.filter((r) => r !== best && (best.mean > 0 ? r.mean < best.mean / 2 : r.mean < 2 * best.mean));
    const fell = far.length
      ? ` ${far.map((r) => r.x).join(' and ')} ${far.length === 1 ? 'ends' : 'end'} far below ${best.x}: ${far.map((r) => `${fmt(r.mean, 3)} against ${fmt(best.mean, 3)}`).join(', ')}.`
      : '';
    return `On ${task}, the mean final returns are ${list} (best first, ${best.seeds} seed${best.seeds === 1 ? '' : 's'}).${fell}`;
  });
}

/** Notebook 07: E9, E10 and E11, with each task's final returns in words; `paragraph` is E10's answer (e10Answer). */
export function answerDeepComparison(e9: Claims, e10: Pick<Report, 'claims' | 'tables'>, e11: Claims, paragraph?: string): AnswerSpec {
  return {
    question: 'Is MnM-approx on par with MBPO and SAC on continuous tasks, and how does the model rollout horizon matter?',
    ...(paragraph !== undefined && { paragraph }),
    parts: [
      { label: 'The three agents on three tasks (E10, Fig. 4)', claims: e10.claims },
      { label: 'The rollout horizon (E9, Fig. 12)', claims: e9.claims },
      { label: 'Hopper, small (E11)', claims: e11.claims },
    ],
    notes: e10TaskSentences(e10),
    lesson:
      '"On par" is shown, not assumed: it holds only when the paired interval lies inside a margin fixed before the run, and a difference that is merely not significant reads inconclusive. Where one agent collapses on a task, the mean hides it and the per-seed dots show it.',
  };
}
