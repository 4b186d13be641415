/** Fig. 3b as the authors computed it: log J, Eq. 2, Eq. 10 and log VMBPO along the alternating procedure. */
import { alternatingProcedure } from '../alternating';
import type { Gridworld } from '../gridworld';
import type { Kernel } from '../mdp';
import { mnmObjective, policyReturn, vmbpoObjective } from '../solve';
import { tightBound } from '../tight-bound';
import { fig2aGrid } from './fig2a';
import { exactPart, f4, mnmOptions, type Check, type Knobs } from './knobs';

// ---------------------------------------------------------------------------------------------------------
// Fig. 3b: the bounds along the iterations.

export type Fig3bRow = {
  iteration: number;
  log_J: number;
  eq2_bound: number;
  tight_bound: number;
  log_vmbpo: number;
};

export interface Fig3b {
  grid: Gridworld;
  rows: Fig3bRow[];
  converged: boolean;
  checks: { boundsBelow: Check; vmbpoAbove: Check };
}

/** Per iteration, for the (π, q) that iteration evaluates: log J(π), Eq. 2 L(π, q), Eq. 10 and log L_VMBPO(π, q). */
export function fig3b(knobs: Knobs): Fig3b {
  const g = fig3aGridFor3b(knobs);
  const rows: Fig3bRow[] = [];
  const r = alternatingProcedure(g.mdp, {
    objective: 'mnm',
    ...mnmOptions(knobs, null),
    onIteration: (it) => {
      const pi = Float64Array.from(it.pi);
      const q: Kernel = { ...it.q, prob: Float64Array.from(it.q.prob) };
      rows.push({
        iteration: it.iteration,
        log_J: Math.log(policyReturn(g.mdp, pi)),
        eq2_bound: mnmObjective(g.mdp, pi, q),
        tight_bound: tightBound(g.mdp, pi, q),
        log_vmbpo: Math.log(vmbpoObjective(g.mdp, pi, q)),
      });
    },
  });
  const eps = 1e-9;
  const worst = (f: (x: Fig3bRow) => number) => Math.max(...rows.map(f));
  const below2 = worst((x) => x.eq2_bound - x.log_J);
  const belowT = worst((x) => x.tight_bound - x.log_J);
  const order = worst((x) => x.eq2_bound - x.tight_bound);
  const above = Math.min(...rows.map((x) => x.log_vmbpo - x.log_J));
  const last = rows[rows.length - 1];
  const lastText = `last iteration (${last.iteration}${r.converged ? ', converged' : ''}): log J ${f4(last.log_J)}, Eq. 2 ${f4(last.eq2_bound)}, Eq. 10 ${f4(last.tight_bound)}, log VMBPO ${f4(last.log_vmbpo)}`;
  return {
    grid: g,
    rows,
    converged: r.converged,
    checks: {
      boundsBelow: {
        evidence: [
          exactPart('max over iterations of Eq. 2 − log J', 'below', eps, below2),
          exactPart('max over iterations of Eq. 10 − log J', 'below', eps, belowT),
        ],
        measured: `${rows.length} iterations: max of Eq. 2 − log J ${below2.toExponential(3)}, of Eq. 10 − log J ${belowT.toExponential(3)} (Eq. 2 ≤ Eq. 10 at every iteration: ${order <= eps}); ${lastText}`,
      },
      vmbpoAbove: {
        evidence: [exactPart('min over iterations of log VMBPO − log J', 'above', -eps, above)],
        measured: `${rows.length} iterations: min of log VMBPO − log J ${above.toExponential(3)} (0 at the first iteration, where q = p); ${lastText}`,
      },
    },
  };
}

function fig3aGridFor3b(knobs: Knobs): Gridworld {
  return fig2aGrid(knobs, { free: 1, goal: 10 });
}
