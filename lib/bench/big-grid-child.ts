/**
 * Child process of the big-grid bench (big-grid.ts): parses an open N×N map from its text, builds the
 * gridworld and solves it by MnM value iteration on a SweepPool, then prints one JSON line with the time
 * of each stage and the peak memory (resident set and V8 heap). Run alone, so that its peak is its own.
 *   node --import tsx lib/bench/big-grid-child.ts N
 */
import * as v8 from 'node:v8';
import { makeGridworld, parseGridMap } from '../tabular/gridworld';
import { valueIteration } from '../tabular/solve';
import { SweepPool } from '../tabular/sweep-pool';

const n = Number(process.argv[2]);
if (!(Number.isInteger(n) && n >= 2)) throw new Error(`big-grid-child: expected the map size N ≥ 2, got '${process.argv[2]}'`);
let heapPeak = 0;
const heap = () => (heapPeak = Math.max(heapPeak, v8.getHeapStatistics().used_heap_size));
const stage = <T>(f: () => T): [T, number] => {
  const t0 = performance.now();
  const out = f();
  heap();
  return [out, performance.now() - t0];
};
const pool = new SweepPool();
const t0 = performance.now();
const [text, textMs] = stage(() => {
  const row = '.'.repeat(n);
  const rows = Array.from({ length: n }, (_, r) => (r === 0 ? 'S' + row.slice(1) : r === n - 1 ? row.slice(1) + 'G' : row));
  return `noise: 0.2\ngamma: 0.95\n\n${rows.join('\n')}\n`;
});
const [map, parseMs] = stage(() => parseGridMap(text, `open ${n}x${n}`));
const [g, buildMs] = stage(() => makeGridworld(map));
const [vi, solveMs] = stage(() => valueIteration(g.mdp, 'mnm', { runner: pool }));
const totalMs = performance.now() - t0;
console.log(
  JSON.stringify({
    n,
    states: g.mdp.S,
    transitions: g.mdp.next.length,
    threads: pool.threads,
    iterations: vi.iterations,
    v_start: vi.V[g.start],
    text_ms: textMs,
    parse_ms: parseMs,
    build_ms: buildMs,
    solve_ms: solveMs,
    total_ms: totalMs,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
    peak_heap_mb: heapPeak / 2 ** 20,
  }),
);
void pool.close();
