/**
 * How a model's transitions differ from the true ones on a grid, as arrows: for each state, the mean
 * displacement (row, col) of s' − s under q minus that under p, averaged over the actions. With p's
 * symmetric noise, an arrow shows where the model moves the noise (Fig. 2a's blue arrows).
 * Also the exact optimistic model for the Eq. 5 reward (log r + log p/q), to compare a learned model with.
 */
import type { GridGeometry } from './learned-model';
import type { Kernel, TabularMDP } from './mdp';
import { optimisticModel, sweep } from './solve';

export interface ShiftArrow {
  state: number;
  row: number;
  col: number;
  /** Mean row displacement under q minus under p (positive = down). */
  dRow: number;
  /** Mean column displacement under q minus under p (positive = right). */
  dCol: number;
}

function meanDisplacement(grid: GridGeometry, k: Kernel, s: number, a: number): [number, number] {
  const [r0, c0] = grid.cellOf(s);
  let dr = 0;
  let dc = 0;
  const i = s * k.A + a;
  for (let j = k.rowStart[i]; j < k.rowStart[i + 1]; j++) {
    const [r, c] = grid.cellOf(k.next[j]);
    dr += k.prob[j] * (r - r0);
    dc += k.prob[j] * (c - c0);
  }
  return [dr, dc];
}

/** One arrow per state: E_q[s' − s] − E_p[s' − s], averaged over actions. */
export function modelShift(grid: GridGeometry, q: Kernel, p: Kernel): ShiftArrow[] {
  const out: ShiftArrow[] = [];
  for (let s = 0; s < p.S; s++) {
    let dRow = 0;
    let dCol = 0;
    for (let a = 0; a < p.A; a++) {
      const [qr, qc] = meanDisplacement(grid, q, s, a);
      const [pr, pc] = meanDisplacement(grid, p, s, a);
      dRow += (qr - pr) / p.A;
      dCol += (qc - pc) / p.A;
    }
    const [row, col] = grid.cellOf(s);
    out.push({ state: s, row, col, dRow, dCol });
  }
  return out;
}

/** Among arrows longer than `minLength` (excluding the goal), the fraction pointing toward the goal cell. */
export function fractionTowardGoal(arrows: ShiftArrow[], goal: [number, number], minLength = 1e-3): { fraction: number; counted: number } {
  let toward = 0;
  let counted = 0;
  for (const a of arrows) {
    const gr = goal[0] - a.row;
    const gc = goal[1] - a.col;
    if (gr === 0 && gc === 0) continue;
    if (Math.hypot(a.dRow, a.dCol) <= minLength) continue;
    counted++;
    if (a.dRow * gr + a.dCol * gc > 0) toward++;
  }
  return { fraction: counted ? toward / counted : NaN, counted };
}

/** Cosine similarity of two arrow fields (as flat vectors over all states). */
export function arrowCosine(a: ShiftArrow[], b: ShiftArrow[]): number {
  if (a.length !== b.length) throw new Error(`arrowCosine: ${a.length} arrows against ${b.length}`);
  let ab = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < a.length; i++) {
    ab += a[i].dRow * b[i].dRow + a[i].dCol * b[i].dCol;
    aa += a[i].dRow ** 2 + a[i].dCol ** 2;
    bb += b[i].dRow ** 2 + b[i].dCol ** 2;
  }
  return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
}

/**
 * Value iteration for the Eq. 5 objective, whose per-step reward is log r(s,a) + log p/q (no (1−γ) factor,
 * no constant): Q = log r + log E_p exp(γ V). Returns V and the maximising model q* ∝ p·exp(γV).
 */
export function eq5OptimisticModel(mdp: TabularMDP, tol = 1e-10, maxIter = 100000): { V: Float64Array; q: Kernel } {
  const { S, A } = mdp;
  const base = new Float64Array(S * A);
  for (let i = 0; i < S * A; i++) base[i] = Math.log(mdp.reward[i]);
  let V = new Float64Array(S);
  let Vn = new Float64Array(S);
  const Q = new Float64Array(S * A);
  for (let it = 0; it < maxIter; it++) {
    const change = sweep(mdp, true, base, V, Vn, Q);
    [V, Vn] = [Vn, V];
    if (change < tol) return { V, q: optimisticModel(mdp, V) };
  }
  throw new Error(`eq5OptimisticModel: no convergence to ${tol} in ${maxIter} sweeps`);
}
