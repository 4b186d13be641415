/**
 * Value iteration with its sweeps on the WebAssembly engine (lib/engine/assembly/sweep.ts): the same backups,
 * layout (StateBlocks or compressed rows, from lib/tabular/sweep-kernels.ts's prepareSweep), stopping rule and
 * result as lib/tabular/solve.ts's valueIteration, one thread. The sweep's arithmetic is the JS kernels' in the
 * same order; only exp and log come from another implementation (AssemblyScript's, ≤ 1 ulp apart), so V agrees
 * with the JS solve to about 1e-12 relative (test/engine/value-iteration.test.ts), bit for bit on the return backup.
 *
 *   const { V, Q, policy, iterations } = engineValueIteration(mdp, 'mnm', { tol: 1e-10 });
 */
import { backupQ, greedyPolicy, prepareBackup, type Backup, type ValueIterationOptions, type ValueIterationResult } from '../tabular/solve';
import type { TabularMDP } from '../tabular/mdp';
import { Engine, engineModule } from './engine';

export type EngineValueIterationOptions = Pick<ValueIterationOptions, 'V0' | 'tol' | 'maxIter' | 'layout'>;

export function engineValueIteration(mdp: TabularMDP, backup: Backup, opts: EngineValueIterationOptions = {}): ValueIterationResult {
  const prep = prepareBackup(mdp, backup, opts.layout);
  const { S, A, gamma } = mdp;
  const tol = opts.tol ?? 1e-10;
  const maxIter = opts.maxIter ?? 1_000_000;
  if (!(tol > 0)) throw new Error(`valueIteration: tol must be > 0, got ${tol}`);
  const V0 = new Float64Array(S);
  if (opts.V0 !== undefined) {
    if (opts.V0.length !== S) throw new Error(`valueIteration: V0 has ${opts.V0.length} entries, expected ${S}`);
    for (let s = 0; s < S; s++) {
      if (!Number.isFinite(opts.V0[s])) throw new Error(`valueIteration: V0[${s}] is ${opts.V0[s]}; must be finite`);
      V0[s] = opts.V0[s];
    }
  }
  // One engine per solve: its memory is freed with it.
  const eng = new Engine(engineModule());
  const b = prep.blocks;
  const k = {
    base: eng.put(prep.base),
    expBase: eng.put(prep.expBase),
    baseMax: eng.put(prep.baseMax),
    start: b ? eng.put(b.start) : 0,
    succ: b ? eng.put(b.succ) : 0,
    pattern: b ? eng.put(b.pattern) : 0,
    table: b ? eng.put(b.table) : 0,
    rowStart: b ? 0 : eng.put(mdp.rowStart),
    next: b ? 0 : eng.put(mdp.next),
    prob: b ? 0 : eng.put(mdp.prob),
    acc: eng.alloc(A, 8),
    e: eng.alloc(S, 8),
    w: eng.alloc(S, 8),
  };
  let v = eng.put(V0);
  let vn = eng.alloc(S, 8);
  const x = eng.exports;
  for (let it = 1; it <= maxIter; it++) {
    const change = x.viSweep(
      S,
      A,
      gamma,
      prep.soft ? 1 : 0,
      prep.uniform ? 1 : 0,
      v,
      vn,
      k.e,
      k.base,
      k.expBase,
      k.baseMax,
      k.start,
      k.succ,
      k.pattern,
      k.table,
      k.rowStart,
      k.next,
      k.prob,
      k.acc,
      k.w,
    );
    [v, vn] = [vn, v];
    if (!Number.isFinite(change)) throw new Error(`valueIteration (${backup}): values became non-finite at sweep ${it}`);
    if (change < tol) {
      const V = Float64Array.from(eng.f64(v, S));
      const Q = new Float64Array(S * A);
      backupQ(mdp, prep, eng.f64(vn, S).slice(), Q); // Q from the V this last sweep started from
      return { V, Q, policy: greedyPolicy(Q, S, A), iterations: it, change };
    }
  }
  throw new Error(`valueIteration (${backup}): no convergence to ${tol} in ${maxIter} sweeps`);
}
