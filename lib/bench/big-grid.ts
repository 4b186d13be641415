/**
 * Memory and time of a big open gridworld (issue 15): a 500×500 and a 2000×2000 map are parsed from text,
 * built and solved (MnM value iteration, one thread per core), each in a child process of its own with a
 * bounded V8 heap, so that its peak resident set is its own. There is no peer program: the goal is ≤ 2 GB
 * and ≤ 60 s for 2000×2000 (`meets_goal`), reported with the load average, since the time depends on it.
 */
import { spawnSync } from 'node:child_process';
import * as os from 'node:os';
import * as path from 'node:path';
import type { BenchEntry, BenchSection } from './types';

const CHILD = path.join(__dirname, 'big-grid-child.ts');
const SIZES = [500, 2000];
const GOAL = { rssMb: 2048, seconds: 60 } as const;
const HEAP_LIMIT_MB = 2048;
const TIMEOUT_MS = 20 * 60_000;

interface ChildOutput {
  states: number;
  transitions: number;
  threads: number;
  iterations: number;
  parse_ms: number;
  build_ms: number;
  solve_ms: number;
  total_ms: number;
  peak_rss_mb: number;
  peak_heap_mb: number;
}

export const bigGridBench: BenchSection = {
  name: 'big-grid',
  async run(log) {
    const entries: BenchEntry[] = [];
    for (const n of SIZES) {
      const args = [`--max-old-space-size=${HEAP_LIMIT_MB}`, '--import', 'tsx', CHILD, String(n)];
      const res = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 1 << 20 });
      const load = os.loadavg()[0];
      if (res.error || res.status !== 0) {
        const why = res.error
          ? res.error.message
          : `exit ${res.status ?? res.signal}: ${res.stderr.trim().split('\n').slice(-3).join(' | ')}`;
        throw new Error(`big grid ${n}×${n}: the child process failed (${why})`);
      }
      const out = JSON.parse(res.stdout.trim().split('\n').pop() ?? '') as ChildOutput;
      const meets = out.peak_rss_mb <= GOAL.rssMb && out.total_ms <= GOAL.seconds * 1000;
      log(
        `${n}×${n}: ${out.states} states, ${out.transitions} transitions; parse ${out.parse_ms.toFixed(0)} ms, build ${out.build_ms.toFixed(0)} ms, ` +
          `solve ${out.solve_ms.toFixed(0)} ms (${out.iterations} sweeps, ${out.threads} threads); peak RSS ${out.peak_rss_mb.toFixed(0)} MB, ` +
          `peak heap ${out.peak_heap_mb.toFixed(0)} MB; load ${load.toFixed(2)}` +
          (n === 2000 ? `; goal ≤ ${GOAL.rssMb} MB and ≤ ${GOAL.seconds} s: ${meets ? 'met' : 'NOT met'}` : ''),
      );
      entries.push({
        name: `big grid ${n}x${n} parse+build+MnM solve`,
        ours_ms: out.total_ms,
        peer_ms: null,
        ratio: null,
        agree: null,
        ...out,
        bytes_per_state_rss: (out.peak_rss_mb * 2 ** 20) / out.states,
        meets_goal: n === 2000 ? meets : null,
        load_avg_1min: load,
      });
    }
    return entries;
  },
};
