/**
 * `npm run bench -- sac`: one full SAC update (twin critics + targets, tanh-Gaussian actor, learned α,
 * Polyak averaging) of lib/deep/sac.ts against the PyTorch peer ../shared/bench/peers/torch_sac_update.py
 * on the same shapes (obs 3, act 1, two hidden layers of 64/128/256 units, batch = units), in the same run.
 * Both sides run single-threaded (tfjs wasm runs one thread in Node; the peer gets --threads 1 and
 * OPENBLAS_NUM_THREADS=1). The peer must run on OpenBLAS (Debian: python3-torch with libopenblas0-pthread;
 * with the reference BLAS torch is ~10× slower at 256 units): the bench prints the BLAS library the peer's
 * torch loaded and its 256×256 matmul time, and warns when it is not OpenBLAS.
 * The machine is shared, so the two sides alternate for several rounds (MNM_BENCH_SAC_ROUNDS, default 3,
 * of MNM_BENCH_SAC_UPDATES = 100 updates) and each reports the median of its round medians and its smallest
 * update time; ratio = peer / ours on medians (above 1: we are faster), ratio_min on minimums.
 *
 * The WebAssembly engine's update (lib/engine/sac.ts, backend 'engine') runs in the same rounds: its lines say
 * engine/tfjs and engine/torch on medians and minimums against the issue-24 goal (≤ 1.0× the peer), and one
 * 256×256 matmul on the engine beside the peer's OpenBLAS one (what bounds the 256-unit update).
 *
 * It also times the tfjs usage patterns (MNM_BENCH_SAC_PATTERNS=0 skips them) that decided the design of lib/deep/mlp.ts (entries named
 * `tfjs pattern: ...`, no peer): transposed and batched matMuls, column sums, tidy/dataSync/variable costs,
 * optimizer.minimize against variableGrads + applyGradients.
 *
 * What these showed on this machine (tfjs 4.22 wasm, SIMD, one thread; 256 units):
 * - wasm's matMul is fast only for rank-2, untransposed operands (~1.2 ms for 256³). With transposeA
 *   (tfjs's own weight gradient) it is ~25–100× slower, with transposeB ~15–30×, rank-3 batched ~50×.
 *   Hence lib/deep/mlp.ts: custom-gradient layers with explicit transposes (+0.3 ms each), ensemble
 *   members as separate rank-2 networks. This alone took one SAC update at 256 from ~250 ms to ~45 ms.
 * - tf.sum(dy, 0) for bias gradients ≈ 0.3–0.5 ms; ones·dy as a matMul ≈ 0.05 ms.
 * - At 64 units the cost is the number of ops (~10–20 µs each): tf.train.adam runs ~12 ops per
 *   variable, so FlatAdam (one flat step per group) and relu fused into the matMul kernel cut an update
 *   from 789 to 536 kernels. tidy, dataSync of a few numbers and variable creation are negligible
 *   (< 5 µs); optimizer.minimize costs the same as variableGrads + applyGradients.
 * - Concat and split of a flat 135k-parameter vector cost ~4 ms each (256 units): the old flat-tensor Adam
 *   spent ~12 ms of a 34 ms update there. Adam and Polyak now run in plain JS on the weights (lib/deep/backend
 *   rewriteVariable): no kernel at all. A weight must get a NEW tensor when it changes, never be written in
 *   place: wasm caches XNNPACK operators with the packed weights, keyed by tensor (in-place writes trained
 *   on stale weights).
 * - What is left at 64 units is the op count: ~400 kernels per update, a third of them Reshape and Identity
 *   bookkeeping of tfjs's autograd (customGrad, rank-3 kernel inputs). The next step is an update with a
 *   hand-written backward pass that bypasses the tape. At 256 units the matMuls dominate: wasm's 256³ matMul
 *   takes ~1.1 ms against ~0.33 ms for OpenBLAS, which bounds our time at ≥ ~2.3× the peer's there.
 * - Wasm threads: tfjs forces WASM_HAS_MULTITHREAD_SUPPORT off in Node; forcing it on fails
 *   (ERR_WORKER_PATH: its worker is a blob: URL), so setThreadsCount has no effect here.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../deep/backend';
import type { DeepBackend } from '../deep/deep-backend';
import { Engine, engineModule, engineVariant } from '../engine/engine';
import { Sac } from '../deep/sac';
import type { Batch } from '../deep/replay';
import { Rng } from '../rng';
import type { BenchEntry, BenchSection } from './types';

const PEER = path.resolve(__dirname, '../../../shared/bench/peers/torch_sac_update.py');
const PYTHON = '/usr/bin/python3';
export const TORCH_INSTALL = 'apt-get install -y python3-torch libopenblas0-pthread';
/** The peer runs single-threaded: torch's own threads (--threads 1) and OpenBLAS's. */
const PEER_ENV = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1' };

/** Which BLAS library the peer's torch loads (from its /proc/self/maps) and its 256×256 matmul time. */
function peerBlas(): { libs: string[]; openblas: boolean; matmul256_ms: number } | null {
  const script = [
    'import json, time, torch',
    'torch.set_num_threads(1)',
    'a = torch.randn(256, 256); b = torch.randn(256, 256)',
    '[a @ b for _ in range(20)]',
    't = []',
    'for _ in range(200):',
    '    t0 = time.perf_counter(); a @ b; t.append(time.perf_counter() - t0)',
    'libs = sorted({l.split()[-1] for l in open("/proc/self/maps") if "blas" in l.lower() and "/" in l})',
    'print(json.dumps({"libs": libs, "ms": sorted(t)[100] * 1e3}))',
  ].join('\n');
  const r = spawnSync(PYTHON, ['-c', script], { encoding: 'utf8', env: PEER_ENV });
  if (r.status !== 0) return null;
  const j = JSON.parse(r.stdout.trim().split('\n').pop() as string) as { libs: string[]; ms: number };
  // Debian's torch links libblas.so.3, which the alternatives system points at OpenBLAS or the reference BLAS.
  const real = j.libs.map((l) => {
    try {
      return fs.realpathSync(l);
    } catch {
      return l;
    }
  });
  return { libs: real, openblas: real.some((l) => /openblas/i.test(l)), matmul256_ms: j.ms };
}
const SHAPES = [64, 128, 256];
const OBS = 3;
const ACT = 1;

function quantiles(xs: number[]): { median: number; min: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0] };
}

function randomBatch(rng: Rng, n: number): Batch {
  const f = (len: number, g: () => number) => Float32Array.from({ length: len }, g);
  return {
    n,
    obs: f(n * OBS, () => rng.normal()),
    act: f(n * ACT, () => rng.range(-1, 1)),
    rew: f(n, () => rng.normal()),
    nextObs: f(n * OBS, () => rng.normal()),
    done: new Float32Array(n),
  };
}

/** Median/min ms of one update of ours (on `backend`), on 8 rotating random batches (as the peer does). */
export function timeOurUpdate(
  hidden: number,
  batch: number,
  updates: number,
  backend: DeepBackend = 'tfjs',
): { median: number; min: number; cpu: number } {
  const rng = new Rng(`bench/sac/${hidden}`);
  const agent = new Sac({ obsDim: OBS, actDim: ACT, actLow: [-1], actHigh: [1] }, { hidden }, rng, { backend });
  const batches = Array.from({ length: 8 }, () => randomBatch(rng, batch));
  for (let i = 0; i < 10; i++) agent.update(batches[i % 8]);
  const times: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < updates; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    agent.update(batches[i % 8]);
    times.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  agent.dispose();
  // CPU time of this process per update: less sensitive than wall time to other processes on the cores.
  return { ...quantiles(times), cpu: quantiles(cpu).median };
}

function torchAvailable(): string | null {
  const r = spawnSync(PYTHON, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : null;
}

function timePeer(hidden: number, batch: number, updates: number): { median: number; min: number; peer: string } {
  const out = execFileSync(
    PYTHON,
    [
      PEER,
      '--obs',
      String(OBS),
      '--act',
      String(ACT),
      '--hidden',
      String(hidden),
      '--batch',
      String(batch),
      '--updates',
      String(updates),
      '--threads',
      '1',
    ],
    { encoding: 'utf8', env: PEER_ENV },
  );
  const j = JSON.parse(out.trim().split('\n').pop() as string);
  return { median: j.ms_per_update_median, min: j.ms_per_update_min, peer: j.peer };
}

/**
 * ms of one 256×256·256×256 matrix product on the engine (median of 200): what bounds the engine's SAC update at
 * 256 units (16 such products per update), to set beside the peer's OpenBLAS time for the same product.
 */
function engineGemm256(): number {
  const eng = new Engine(engineModule());
  const N = 256;
  const [a, b, c] = [eng.alloc(N * N), eng.alloc(N * N), eng.alloc(N * N)];
  eng.f32(a, N * N).fill(0.5);
  eng.f32(b, N * N).fill(0.25);
  return timeIt(() => eng.exports.gemm(a, b, c, N, N, N, 0), 200);
}

/** ms per call of fn (median of `reps` timed calls after 5 warm-ups). */
function timeIt(fn: () => void, reps: number): number {
  for (let i = 0; i < 5; i++) fn();
  const t: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    fn();
    t.push(performance.now() - t0);
  }
  return quantiles(t).median;
}

function patternEntries(log: (line: string) => void): BenchEntry[] {
  const out: BenchEntry[] = [];
  const add = (name: string, ms: number, extra: Record<string, unknown> = {}) => {
    out.push({ name: `tfjs pattern: ${name}`, ours_ms: ms, peer_ms: null, ratio: null, agree: null, ...extra });
    log(`${name}: ${ms.toFixed(3)} ms`);
  };
  const H = 256;
  const rng = new Rng('bench/sac/patterns');
  const rand = (shape: number[]) =>
    tf.tensor(
      Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => rng.normal()),
      shape,
    );
  const a = rand([H, H]) as tf.Tensor2D;
  const b = rand([H, H]) as tf.Tensor2D;
  const a3 = rand([2, H, H]) as tf.Tensor3D;
  const b3 = rand([2, H, H]) as tf.Tensor3D;
  const reps = 40;
  add(
    `matMul ${H}x${H}·${H}x${H}`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(a, b);
        }),
      reps,
    ),
  );
  add(
    `matMul transposeA (tfjs's own dW gradient)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(a, b, true, false);
        }),
      reps,
    ),
  );
  add(
    `matMul transposeB (tfjs's own dx gradient)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(a, b, false, true);
        }),
      reps,
    ),
  );
  add(
    `explicit transpose then matMul (ours)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(tf.transpose(a), b);
        }),
      reps,
    ),
  );
  add(
    `batched matMul 2x${H}x${H} (rank-3, both critics in one op)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(a3, b3);
        }),
      reps,
    ),
  );
  add(
    `two rank-2 matMuls (ours)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(a, b);
          tf.matMul(b, a);
        }),
      reps,
    ),
  );
  add(
    `tf.sum(dy, 0) (bias gradient)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.sum(a, 0);
        }),
      reps,
    ),
  );
  add(
    `ones·dy matMul (ours)`,
    timeIt(
      () =>
        tf.tidy(() => {
          tf.matMul(tf.ones([1, H]), a);
        }),
      reps,
    ),
  );
  add(
    'empty tf.tidy',
    timeIt(() => tf.tidy(() => {}), 500),
  );
  add(
    'one small op (scalar add)',
    timeIt(
      () =>
        tf.tidy(() => {
          tf.add(tf.scalar(1), tf.scalar(2));
        }),
      500,
    ),
  );
  add(
    'dataSync of a 6-number tensor',
    timeIt(() => {
      const t = tf.zeros([6]);
      t.dataSync();
      t.dispose();
    }, 500),
  );
  add(
    `tf.variable creation ${H}x${H} (+dispose)`,
    timeIt(() => {
      tf.variable(a).dispose();
    }, reps),
  );
  const w = tf.variable(rand([H, H]));
  const opt: tf.Optimizer = tf.train.adam(1e-4);
  const loss = () => tf.mean(tf.square(tf.matMul(a, w))) as tf.Scalar;
  add(
    'optimizer.minimize (one matMul loss)',
    timeIt(() => {
      opt.minimize(loss);
    }, reps),
  );
  add(
    'variableGrads + applyGradients (same loss)',
    timeIt(
      () =>
        tf.tidy(() => {
          opt.applyGradients(tf.variableGrads(loss, [w]).grads);
        }),
      reps,
    ),
  );
  [a, b, a3, b3, w].forEach((t) => t.dispose());
  opt.dispose();
  return out;
}

export const sacBench: BenchSection = {
  name: 'sac',
  async run(log) {
    const backend = await initBackend();
    const simd = tf.env().getBool('WASM_HAS_SIMD_SUPPORT' as never) as unknown as boolean;
    log(`backend ${backend}${backend === 'wasm' ? `, SIMD ${simd}, threads 1 (tfjs disables wasm threads in Node)` : ''}`);
    const torch = torchAvailable();
    if (!torch) log(`PyTorch is missing for ${PYTHON}: install it with \`${TORCH_INSTALL}\` (peer times left empty)`);
    const blas = torch ? peerBlas() : null;
    const blasNote = blas
      ? `${blas.openblas ? 'OpenBLAS' : 'NOT OpenBLAS'} (${blas.libs.join(', ') || 'no BLAS library mapped'}), 256×256 matmul ${blas.matmul256_ms.toFixed(3)} ms`
      : 'unknown';
    if (torch) log(`peer: torch ${torch} on ${blasNote}`);
    if (blas && !blas.openblas)
      log(`WARNING: the peer's BLAS is not OpenBLAS, its times are far too slow to compare with: install libopenblas0-pthread`);
    const entries: BenchEntry[] = [];
    const updates = Number(process.env.MNM_BENCH_SAC_UPDATES ?? 100);
    const rounds = Number(process.env.MNM_BENCH_SAC_ROUNDS ?? 3);
    for (const h of SHAPES) {
      // Alternate ours and the peer for `rounds` rounds so both see the same machine load; per side,
      // the median of the round medians and the smallest minimum.
      const ourRounds: { median: number; min: number; cpu: number }[] = [];
      const engineRounds: { median: number; min: number; cpu: number }[] = [];
      const peerRounds: { median: number; min: number; peer: string }[] = [];
      for (let r = 0; r < rounds; r++) {
        ourRounds.push(timeOurUpdate(h, h, updates, 'tfjs'));
        engineRounds.push(timeOurUpdate(h, h, updates, 'engine'));
        if (torch) peerRounds.push(timePeer(h, h, updates));
      }
      const pick = (xs: { median: number; min: number }[]) => ({
        median: quantiles(xs.map((x) => x.median)).median,
        min: Math.min(...xs.map((x) => x.min)),
      });
      const ours = pick(ourRounds);
      const peer = torch ? { ...pick(peerRounds), peer: peerRounds[0].peer } : null;
      // The issue's goal, as our time over the peer's: ≤ 1.5× at 64 and 128 units, ≤ 2× at 256.
      const goal = h >= 256 ? 2 : 1.5;
      const slower = peer ? ours.median / peer.median : null;
      const e: BenchEntry = {
        name: `sac update ${h} units, batch ${h}`,
        ours_ms: ours.median,
        peer_ms: peer ? peer.median : null,
        ratio: peer ? peer.median / ours.median : null,
        agree: null,
        ours_min_ms: ours.min,
        ours_cpu_ms: quantiles(ourRounds.map((x) => x.cpu)).median,
        load_avg_1min: os.loadavg()[0],
        peer_min_ms: peer ? peer.min : null,
        ratio_min: peer ? peer.min / ours.min : null,
        ours_over_peer: slower,
        goal_ours_over_peer: goal,
        backend,
        peer: peer ? peer.peer : `missing: ${TORCH_INSTALL}`,
        peer_blas: blasNote,
        updates_per_round: updates,
        rounds,
        threads: 1,
      };
      log(
        `${h} units: ours ${ours.median.toFixed(2)} ms (min ${ours.min.toFixed(2)}), torch ${peer ? `${peer.median.toFixed(2)} ms (min ${peer.min.toFixed(2)})` : '—'}` +
          (slower && peer
            ? `; ours/torch ${slower.toFixed(2)}× on medians (goal ≤ ${goal}×: ${slower <= goal ? 'met' : 'not met'}), ` +
              `${(ours.min / peer.min).toFixed(2)}× on minimums; load ${os.loadavg()[0].toFixed(2)} (medians mean little above ~2)`
            : ''),
      );
      entries.push(e);
      // The WebAssembly engine (issue 24): goal ≤ 1.0× the peer, i.e. ahead of PyTorch.
      const eng = pick(engineRounds);
      const engOver = peer ? eng.median / peer.median : null;
      const load = os.loadavg()[0];
      entries.push({
        name: `sac update ${h} units engine`,
        ours_ms: eng.median,
        peer_ms: peer ? peer.median : null,
        ratio: peer ? peer.median / eng.median : null,
        agree: null,
        ours_min_ms: eng.min,
        ours_cpu_ms: quantiles(engineRounds.map((x) => x.cpu)).median,
        tfjs_ms: ours.median,
        tfjs_min_ms: ours.min,
        peer_min_ms: peer ? peer.min : null,
        ratio_min: peer ? peer.min / eng.min : null,
        engine_over_peer: engOver,
        engine_over_tfjs: eng.median / ours.median,
        goal_engine_over_peer: 1,
        meets_goal: engOver === null ? null : engOver <= 1,
        load_avg_1min: load,
        peer: peer ? peer.peer : `missing: ${TORCH_INSTALL}`,
        updates_per_round: updates,
        rounds,
        threads: 1,
      });
      log(
        `${h} units ENGINE: ${eng.median.toFixed(2)} ms (min ${eng.min.toFixed(2)}, CPU ${quantiles(engineRounds.map((x) => x.cpu)).median.toFixed(2)}), tfjs ${ours.median.toFixed(2)} ms (min ${ours.min.toFixed(2)}), ` +
          `torch ${peer ? `${peer.median.toFixed(2)} ms (min ${peer.min.toFixed(2)})` : '—'}; engine/tfjs ${(eng.median / ours.median).toFixed(3)}×` +
          (engOver !== null && peer
            ? `; engine/torch ${engOver.toFixed(2)}× on medians (goal ≤ 1.0×: ${engOver <= 1 ? 'met' : `MISSED by ${((engOver - 1) * 100).toFixed(0)}%`}), ` +
              `${(eng.min / peer.min).toFixed(2)}× on minimums`
            : '') +
          `; load ${load.toFixed(2)}`,
      );
    }
    const gemm = engineGemm256();
    log(
      `engine (${engineVariant()} SIMD build): one 256×256·256×256 matmul ${gemm.toFixed(3)} ms` +
        (blas
          ? `, the peer's OpenBLAS ${blas.matmul256_ms.toFixed(3)} ms: ${(gemm / blas.matmul256_ms).toFixed(2)}× (128-bit wasm SIMD against AVX2)`
          : ''),
    );
    entries.push({
      name: 'engine matmul 256x256x256',
      ours_ms: gemm,
      peer_ms: blas ? blas.matmul256_ms : null,
      ratio: blas ? blas.matmul256_ms / gemm : null,
      agree: null,
      variant: engineVariant(),
    });
    if (process.env.MNM_BENCH_SAC_PATTERNS !== '0') entries.push(...patternEntries(log));
    return entries;
  },
};
