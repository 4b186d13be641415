/**
 * Tabular value iteration against the numpy peer (../shared/bench/peers/numpy_tabular.py).
 *
 * For a 100×100 and a 300×300 noisy gridworld (open map, ε = 0.2, γ = 0.95): export to the exchange format
 * in a temp folder, read it back (so both programs solve the very same numbers), then time our value
 * iteration and the peer's for each backup (return = the peer's 'standard', MnM, VMBPO), from V = 0 until
 * the sup-norm change is below 1e-10, best of `repeat` runs each (MNM_BENCH_REPEAT, default 3; the peer's
 * --repeat is the same), and check that the answers agree: the same number of sweeps (±1), the first 8 values
 * and the mean value within 1e-8. Both sides time the solve only (not loading the files); ours includes
 * building its sweep layout, the final Q and the greedy policy.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exportExchange, importExchange } from './exchange';
import { makeGridworld, openGridMap } from '../tabular/gridworld';
import { valueIteration, type Backup } from '../tabular/solve';
import type { BenchEntry, BenchSection } from './types';

const PEER = path.resolve(__dirname, '..', '..', '..', 'shared', 'bench', 'peers', 'numpy_tabular.py');
const TOL = 1e-10;
const SIZES = [100, 300];
const BACKUPS: { ours: Backup; peer: string }[] = [
  { ours: 'return', peer: 'standard' },
  { ours: 'mnm', peer: 'mnm' },
  { ours: 'vmbpo', peer: 'vmbpo' },
];

interface PeerOutput {
  peer: string;
  iterations: number;
  seconds: number;
  v: number[];
  v_sum: number;
}

function runPeer(dir: string, backup: string, repeat: number): PeerOutput {
  const res = spawnSync('python3', [PEER, dir, '--backup', backup, '--tol', String(TOL), '--repeat', String(repeat)], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (res.error) throw new Error(`numpy peer: cannot run python3 (${res.error.message})`);
  if (res.status !== 0) throw new Error(`numpy peer failed (exit ${res.status}): ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`);
  const line = res.stdout.trim().split('\n').pop() ?? '';
  try {
    return JSON.parse(line) as PeerOutput;
  } catch {
    throw new Error(`numpy peer: expected one JSON line, got '${line.slice(0, 200)}'`);
  }
}

export const tabularBench: BenchSection = {
  name: 'tabular',
  async run(log) {
    if (!fs.existsSync(PEER)) {
      throw new Error(`numpy peer not found at ${PEER} (expected ../shared/bench/peers/numpy_tabular.py next to the project)`);
    }
    const repeat = Number(process.env.MNM_BENCH_REPEAT ?? 3);
    if (!(Number.isInteger(repeat) && repeat > 0))
      throw new Error(`MNM_BENCH_REPEAT must be a positive integer, got ${process.env.MNM_BENCH_REPEAT}`);
    const entries: BenchEntry[] = [];
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-bench-tabular-'));
    try {
      for (const n of SIZES) {
        const dir = path.join(tmp, `grid-${n}x${n}`);
        exportExchange(makeGridworld(openGridMap(n, n), { noise: 0.2, gamma: 0.95 }).mdp, dir);
        const mdp = importExchange(dir);
        log(`${n}×${n}: ${mdp.S} states, ${mdp.next.length} stored transitions, exported to ${dir}`);
        for (const b of BACKUPS) {
          valueIteration(mdp, b.ours, { tol: TOL }); // warm-up (JIT)
          let best = Infinity;
          let bestCpu = Infinity;
          let result = valueIteration(mdp, b.ours, { tol: TOL });
          for (let r = 0; r < repeat; r++) {
            const c0 = process.cpuUsage();
            const t0 = performance.now();
            result = valueIteration(mdp, b.ours, { tol: TOL });
            best = Math.min(best, performance.now() - t0);
            bestCpu = Math.min(bestCpu, process.cpuUsage(c0).user / 1000);
          }
          const peer = runPeer(dir, b.peer, repeat);
          const peerMs = peer.seconds * 1000;
          let vDiff = 0;
          for (let i = 0; i < peer.v.length; i++) vDiff = Math.max(vDiff, Math.abs(peer.v[i] - result.V[i]));
          let sum = 0;
          for (let s = 0; s < mdp.S; s++) sum += result.V[s];
          const meanDiff = Math.abs(sum - peer.v_sum) / mdp.S;
          // Both stop within 1e-10 of the previous sweep, i.e. within γ/(1−γ)·1e-10 ≈ 2e-9 of the fixed point.
          const agree = Math.abs(result.iterations - peer.iterations) <= 1 && vDiff <= 1e-8 && meanDiff <= 1e-8;
          const name = `value iteration ${b.ours} ${n}x${n}`;
          log(
            `${name}: ours ${best.toFixed(0)} ms (${result.iterations} sweeps), numpy ${peerMs.toFixed(0)} ms (${peer.iterations} sweeps), ratio ${(peerMs / best).toFixed(2)}, agree ${agree}`,
          );
          entries.push({
            name,
            ours_ms: best,
            peer_ms: peerMs,
            ratio: peerMs / best,
            agree,
            states: mdp.S,
            transitions: mdp.next.length,
            iterations: result.iterations,
            peer_iterations: peer.iterations,
            v_max_abs_diff_first8: vDiff,
            v_mean_abs_diff_of_sums: meanDiff,
            repeat,
            peer: peer.peer,
            // The machine is shared: CPU time and load show how far wall-clock times are from an idle machine.
            ours_cpu_ms: bestCpu,
            load_avg_1min: os.loadavg()[0],
          });
        }
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
    return entries;
  },
};
