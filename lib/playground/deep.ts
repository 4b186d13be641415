/**
 * The deep panel's run (in the page's worker; no Node import): SAC learning Pendulum on the WebAssembly engine,
 * one point per episode streamed back. The agent is lib/deep/engine-sac-agent.ts (the SAC update of
 * lib/engine/sac.ts, the hyper-parameters of lib/deep/sac-core.ts's SAC_DEFAULTS apart from the sizes chosen
 * here), the buffer lib/deep/replay.ts, the task lib/envs/pendulum.ts: nothing of SAC is re-implemented.
 */
import { EngineSacAgent } from '../deep/engine-sac-agent';
import { ReplayBuffer } from '../deep/replay';
import { compileEngineBytes, type WasmModule } from '../engine/wasm';
import { Pendulum } from '../envs/pendulum';
import { Rng } from '../rng';

export interface DeepParams {
  seed: number;
  /** Width of SAC's two hidden layers. */
  hidden: number;
  /** SAC updates per env step (0: the agent never learns; a control). */
  updatesPerStep: number;
  /** Env steps of the run (a whole number of 200-step episodes is shown). */
  envSteps: number;
}

/**
 * The panel's defaults. Measured (plain SIMD build, seed 1): the mean return of the latest 5 episodes goes from
 * about −1300 to about −230 by 4,000 env steps, in about 7 s in Node and 8–10 s in headless Chromium on this
 * machine (seed 2 alike in Node); with 1 update per step it takes about 8,000 steps.
 */
export const DEEP_DEFAULTS: DeepParams = { seed: 1, hidden: 64, updatesPerStep: 3, envSteps: 10_000 };
/** Settings of the run that the panel does not expose. */
export const DEEP_FIXED = {
  batch: 128,
  /** Uniform random actions first (as the deep runs do), so the first updates see varied data. */
  randomSteps: 1000,
  /** τ of the deep runs' quick and paper scales (lib/experiments/deep-runs.ts): 4× SAC's default, for short runs. */
  tau: 0.02,
  replay: 100_000,
} as const;
/** The streamed mean is over this many latest episodes. */
export const MEAN_OF = 5;

export interface DeepPoint {
  episode: number;
  /** Env steps so far (at the end of this episode). */
  envSteps: number;
  /** This episode's return (the stochastic policy that is learning). */
  ret: number;
  /** Mean return of the latest MEAN_OF episodes (fewer at the start). */
  mean: number;
  updates: number;
  alpha: number;
}

/** Checks the sizes: one error naming the bad one. */
export function checkDeepParams(p: DeepParams): void {
  const whole = (k: keyof DeepParams, lo: number, hi: number) => {
    const v = p[k];
    if (!(Number.isInteger(v) && v >= lo && v <= hi))
      throw new Error(`deep panel: ${k} must be a whole number in [${lo}, ${hi}], got ${v}`);
  };
  whole('seed', 0, 1e9);
  whole('hidden', 4, 512);
  whole('updatesPerStep', 0, 20);
  whole('envSteps', 200, 1e6);
}

/** Runs SAC on Pendulum, calling onPoint after every episode. */
export function runDeepSac(p: DeepParams, module: WasmModule, onPoint: (pt: DeepPoint) => void): void {
  checkDeepParams(p);
  const rng = new Rng(`playground-deep/${p.seed}`);
  const env = new Pendulum();
  const agent = new EngineSacAgent(env, { hidden: p.hidden, tau: DEEP_FIXED.tau }, rng.fork('sac'), module);
  const buffer = new ReplayBuffer(DEEP_FIXED.replay, env.obsDim, env.actDim);
  const explore = rng.fork('explore');
  const batches = rng.fork('batches');
  const returns: number[] = [];
  let obs = env.reset(rng.fork('env'));
  let ret = 0;
  for (let t = 1; t <= p.envSteps; t++) {
    const act = t <= DEEP_FIXED.randomSteps ? Float32Array.of(explore.range(env.actLow[0], env.actHigh[0])) : agent.act(obs, explore);
    const step = env.step(act);
    buffer.add(obs, act, step.reward, step.obs, step.terminated);
    ret += step.reward;
    obs = step.obs;
    if (t > DEEP_FIXED.randomSteps) for (let k = 0; k < p.updatesPerStep; k++) agent.update(buffer.sample(DEEP_FIXED.batch, batches));
    if (step.terminated || step.truncated) {
      returns.push(ret);
      const last = returns.slice(-MEAN_OF);
      onPoint({
        episode: returns.length,
        envSteps: t,
        ret,
        mean: last.reduce((a, b) => a + b, 0) / last.length,
        updates: agent.updates,
        alpha: agent.alpha,
      });
      obs = env.reset();
      ret = 0;
    }
  }
}

/** The engine from the page's embedded copy (base64 of lib/engine/build/engine.wasm); a failed load names it. */
export function engineFromBase64(base64: string): WasmModule {
  const what = "the playground's embedded engine.wasm";
  const rebuild =
    'this browser may lack WebAssembly SIMD (Chrome 91, Firefox 89, Safari 16.4 have it); else rebuild the page with npm run playground';
  let bytes: Uint8Array;
  try {
    bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  } catch (err) {
    throw new Error(`engine: ${what} is not valid base64 (${(err as Error).message}); ${rebuild}`);
  }
  return compileEngineBytes(bytes, what, rebuild);
}
