/**
 * Model-free SAC training on an `Env`, and policy evaluation (reused by the model-based loops and E10).
 *
 *   const run = await trainSac(new Pendulum(), { totalSteps: 20_000 }, new Rng('sac/seed-0'), {
 *     onEval: (e) => console.log(e.step, e.mean), onProgress: (done, total) => bar.update(done / total),
 *   });
 *   run.evals  // [{ step, mean, std, returns }] every evalEvery env steps (deterministic policy)
 *   run.agent  // the trained Sac (dispose() it when done)
 *
 *   evaluatePolicy(env, (obs) => agent.act(obs, { deterministic: true }), episodes, rng) → returns per episode
 *
 * Loop (as in CleanRL / Stable-Baselines3): the first `randomSteps` env steps take uniform random actions;
 * from `updateAfter` on, every env step is followed by `updatesPerStep` SAC updates on batches drawn
 * uniformly from the replay buffer. Time-limit truncation is not a terminal (bootstraps as usual).
 * Randomness: rng.fork('env'), fork('explore'), fork('batches'), fork('eval'), fork('agent').
 * Evaluation episodes start from rng.fork('eval').fork(step) so every checkpoint sees the same starts
 * for a given seed.
 */
import { Rng } from '../rng';
import { makeEnv } from '../envs';
import type { Env } from '../envs/types';
import { ReplayBuffer } from './replay';
import { Sac, SacConfig, SacStats } from './sac';

export interface SacTrainConfig {
  totalSteps: number;
  /** Uniform random actions for this many first steps. */
  randomSteps: number;
  /** No updates before this many steps. */
  updateAfter: number;
  updatesPerStep: number;
  batchSize: number;
  bufferSize: number;
  evalEvery: number;
  evalEpisodes: number;
  sac: Partial<SacConfig>;
}

export const SAC_TRAIN_DEFAULTS: SacTrainConfig = {
  totalSteps: 20_000,
  randomSteps: 1_000,
  updateAfter: 1_000,
  updatesPerStep: 1,
  batchSize: 256,
  bufferSize: 1_000_000,
  evalEvery: 2_000,
  evalEpisodes: 5,
  // Stable-Baselines3 zoo's Pendulum-v1 SAC uses lr 1e-3 with 256-unit layers.
  sac: { actorLr: 1e-3, criticLr: 1e-3, alphaLr: 1e-3 },
};

export interface EvalPoint {
  /** Env steps taken when evaluated. */
  step: number;
  mean: number;
  std: number;
  returns: number[];
}

export interface SacTrainHooks {
  onEval?: (e: EvalPoint) => void;
  /** Called every 100 env steps and at the end, with the latest update statistics. */
  onProgress?: (step: number, total: number, last: SacStats | null) => void;
  /** Resolves the loop early (between steps) when it returns true. */
  shouldStop?: () => boolean;
}

export interface SacTrainResult {
  agent: Sac;
  buffer: ReplayBuffer;
  evals: EvalPoint[];
  /** Undiscounted return of each training episode, with the step it ended at. */
  episodes: { step: number; ret: number }[];
  last: SacStats | null;
}

export function sacTrainConfig(partial: Partial<SacTrainConfig> = {}): SacTrainConfig {
  for (const k of Object.keys(partial)) {
    if (!(k in SAC_TRAIN_DEFAULTS))
      throw new Error(`SAC training config: unknown field '${k}' (known: ${Object.keys(SAC_TRAIN_DEFAULTS).join(', ')})`);
  }
  const c = { ...SAC_TRAIN_DEFAULTS, ...partial, sac: { ...SAC_TRAIN_DEFAULTS.sac, ...(partial.sac ?? {}) } };
  for (const k of ['totalSteps', 'updatesPerStep', 'batchSize', 'bufferSize', 'evalEvery', 'evalEpisodes'] as const) {
    if (!(Number.isInteger(c[k]) && c[k] > 0)) throw new Error(`SAC training config: ${k} must be a positive integer, got ${c[k]}`);
  }
  for (const k of ['randomSteps', 'updateAfter'] as const) {
    if (!(Number.isInteger(c[k]) && c[k] >= 0)) throw new Error(`SAC training config: ${k} must be a non-negative integer, got ${c[k]}`);
  }
  return c;
}

/** Undiscounted returns of `episodes` episodes of `policy` (obs → action); starts drawn from `rng`. */
export function evaluatePolicy(env: Env, policy: (obs: Float32Array) => ArrayLike<number>, episodes: number, rng: Rng): number[] {
  const out: number[] = [];
  for (let e = 0; e < episodes; e++) {
    let obs = env.reset(rng);
    let ret = 0;
    for (;;) {
      const s = env.step(policy(obs));
      ret += s.reward;
      obs = s.obs;
      if (s.terminated || s.truncated) break;
    }
    out.push(ret);
  }
  return out;
}

function meanStd(xs: number[]): { mean: number; std: number } {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = Math.sqrt(xs.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, xs.length - 1));
  return { mean, std };
}

/** The deterministic policy's evaluation at env step `step` (episodes start from rng.fork(step)). */
export function evaluateAgent(agent: Sac, env: Env, episodes: number, rng: Rng, step: number): EvalPoint {
  const returns = evaluatePolicy(env, (o) => agent.act(o, { deterministic: true }), episodes, rng.fork(step));
  return { step, returns, ...meanStd(returns) };
}

/** evalEnv: a second instance of the task for evaluation (default makeEnv(env.name): registered envs only). */
export async function trainSac(
  env: Env,
  config: Partial<SacTrainConfig>,
  rng: Rng,
  hooks: SacTrainHooks = {},
  evalEnv?: Env,
): Promise<SacTrainResult> {
  const cfg = sacTrainConfig(config);
  const agent = new Sac({ obsDim: env.obsDim, actDim: env.actDim, actLow: env.actLow, actHigh: env.actHigh }, cfg.sac, rng.fork('agent'));
  const buffer = new ReplayBuffer(Math.min(cfg.bufferSize, cfg.totalSteps), env.obsDim, env.actDim);
  const envRng = rng.fork('env');
  const exploreRng = rng.fork('explore');
  const batchRng = rng.fork('batches');
  const evalRng = rng.fork('eval');
  // A separate instance, so evaluation never disturbs the training episode in progress.
  const evaluator = evalEnv ?? makeEnv(env.name);
  const evals: EvalPoint[] = [];
  const episodes: { step: number; ret: number }[] = [];
  let last: SacStats | null = null;
  let obs = env.reset(envRng);
  let ret = 0;
  for (let step = 1; step <= cfg.totalSteps; step++) {
    const act =
      step <= cfg.randomSteps
        ? Float32Array.from({ length: env.actDim }, (_, i) => exploreRng.range(env.actLow[i], env.actHigh[i]))
        : agent.act(obs, { deterministic: false }, exploreRng);
    const s = env.step(act);
    buffer.add(obs, act, s.reward, s.obs, s.terminated);
    ret += s.reward;
    obs = s.obs;
    if (s.terminated || s.truncated) {
      episodes.push({ step, ret });
      ret = 0;
      obs = env.reset(envRng);
    }
    if (step >= cfg.updateAfter) {
      for (let u = 0; u < cfg.updatesPerStep; u++) last = agent.update(buffer.sample(cfg.batchSize, batchRng));
    }
    if (step % cfg.evalEvery === 0 || step === cfg.totalSteps) {
      const e = evaluateAgent(agent, evaluator, cfg.evalEpisodes, evalRng, step);
      evals.push(e);
      hooks.onEval?.(e);
    }
    if (step % 100 === 0 || step === cfg.totalSteps) {
      hooks.onProgress?.(step, cfg.totalSteps, last);
      // Yield to the event loop so progress output and cancellation get through.
      await new Promise((r) => setImmediate(r));
    }
    if (hooks.shouldStop?.()) break;
  }
  return { agent, buffer, evals, episodes, last };
}

/**
 * Command line (the Pendulum check of the report):
 *   npx tsx lib/deep/train-sac.ts [ENV=pendulum] [--steps 20000] [--seed 0] [--eval-every 1000] [--eval-episodes 10]
 * prints one JSON line per evaluation: {env, seed, step, mean, std, min, sec}.
 */
async function cli(argv: string[]): Promise<void> {
  const { initBackend } = await import('./backend');
  const flag = (name: string, dflt: number): number => {
    const i = argv.indexOf(`--${name}`);
    if (i < 0) return dflt;
    const v = Number(argv[i + 1]);
    if (!Number.isFinite(v)) throw new Error(`--${name} needs a number, got '${argv[i + 1]}'`);
    return v;
  };
  const envName = argv.find((a, i) => !a.startsWith('--') && (i === 0 || !argv[i - 1].startsWith('--'))) ?? 'pendulum';
  const seed = flag('seed', 0);
  await initBackend();
  const t0 = Date.now();
  const run = await trainSac(
    makeEnv(envName),
    { totalSteps: flag('steps', 20_000), evalEvery: flag('eval-every', 1_000), evalEpisodes: flag('eval-episodes', 10) },
    new Rng(`sac-${envName}/seed-${seed}`),
    {
      onEval: (e) =>
        console.log(
          JSON.stringify({
            env: envName,
            seed,
            step: e.step,
            mean: +e.mean.toFixed(1),
            std: +e.std.toFixed(1),
            min: +Math.min(...e.returns).toFixed(1),
            sec: Math.round((Date.now() - t0) / 1000),
          }),
        ),
    },
  );
  run.agent.dispose();
}

if (require.main === module) {
  cli(process.argv.slice(2)).catch((err: Error) => {
    console.error(`train-sac: ${err.message}`);
    process.exit(1);
  });
}
