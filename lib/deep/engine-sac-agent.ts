/**
 * SAC on the WebAssembly engine alone, with no TensorFlow.js: what a page's worker can run (the playground's deep
 * panel). It is ./sac's Sac with backend 'engine' minus the tfjs networks: the same initial weights (./mlp-init,
 * from the same streams), the same update (lib/engine/sac.ts: one call), the same noise, action scaling,
 * temperature step and statistics (./sac-core). test/deep/engine-sac-agent.test.ts checks that the two give the
 * same numbers, update by update.
 *
 *   const agent = new EngineSacAgent({ obsDim, actDim, actLow, actHigh }, { hidden: 64 }, rng, module);
 *   const a = agent.act(obs, rng);          // env units; agent.act(obs, null) is the deterministic tanh(μ)
 *   const stats = agent.update(buffer.sample(256, rng));
 */
import { EngineSac } from '../engine/sac';
import type { WasmModule } from '../engine/wasm';
import { Rng } from '../rng';
import { memberRng, mlpInitWeights } from './mlp-init';
import { checkFinite } from './non-finite';
import type { Batch } from './replay';
import {
  actionScale,
  checkSacBatch,
  checkSacDims,
  engineBatch,
  engineHyper,
  normalNoise,
  SAC_STREAMS,
  type SacConfig,
  sacConfig,
  type SacDims,
  type SacStats,
  type ScalarAdam,
  sacStats,
  stepLogAlpha,
  toEnvActions,
} from './sac-core';

export class EngineSacAgent {
  readonly config: SacConfig;
  readonly obsDim: number;
  readonly actDim: number;
  readonly targetEntropy: number;
  /** Updates done so far (the step named in errors). */
  updates = 0;
  private readonly engine: EngineSac;
  private readonly noiseRng: Rng;
  private readonly mid: Float32Array;
  private readonly half: Float32Array;
  private logAlpha: number;
  private readonly alphaAdam: ScalarAdam = { t: 0, m: 0, v: 0 };

  constructor(dims: SacDims, config: Partial<SacConfig>, rng: Rng, module: WasmModule) {
    this.config = sacConfig(config);
    checkSacDims(dims, 'EngineSacAgent');
    const { obsDim, actDim } = dims;
    this.obsDim = obsDim;
    this.actDim = actDim;
    ({ mid: this.mid, half: this.half } = actionScale(dims));
    this.targetEntropy = this.config.targetEntropy ?? -actDim;
    const c = this.config;
    const hidden = Array.from({ length: c.layers }, () => c.hidden);
    const criticRng = rng.fork(SAC_STREAMS.critics);
    const critics = [0, 1].flatMap((m) => mlpInitWeights([obsDim + actDim, ...hidden, 1], memberRng(criticRng, m)));
    this.engine = new EngineSac({ obsDim, actDim, hidden: c.hidden, layers: c.layers }, engineHyper(c), module);
    // The Adam moments start at zero: the engine's fresh memory is zeroed.
    this.engine.setWeights({
      actor: mlpInitWeights([obsDim, ...hidden, 2 * actDim], rng.fork(SAC_STREAMS.actor)),
      critics,
      targets: critics,
    });
    this.noiseRng = rng.fork(SAC_STREAMS.noise);
    this.logAlpha = Math.log(c.initAlpha);
  }

  get alpha(): number {
    return Math.exp(this.logAlpha);
  }

  /** An action in env units for one observation: a sample drawn from `rng`, or tanh(μ) when `rng` is null. */
  act(obs: ArrayLike<number>, rng: Rng | null): Float32Array {
    if (obs.length !== this.obsDim) throw new Error(`EngineSacAgent.act: obs must have ${this.obsDim} numbers, got ${obs.length}`);
    for (let i = 0; i < obs.length; i++) if (!Number.isFinite(obs[i])) throw new Error(`EngineSacAgent.act: obs[${i}] is ${obs[i]}`);
    const eps = rng ? normalNoise(rng, this.actDim) : null;
    return toEnvActions(this.engine.act(Float32Array.from(obs), 1, eps), this.mid, this.half);
  }

  /** One update (env-unit actions); a non-finite statistic throws NonFiniteError and keeps nothing of it. */
  update(batch: Batch): SacStats {
    checkSacBatch(batch, this.obsDim, this.actDim);
    const s = this.engine.update(engineBatch(batch, this.noiseRng.fork(this.updates), this.mid, this.half), this.alpha);
    const stats = sacStats(s, this.logAlpha, this.targetEntropy);
    checkFinite(stats as unknown as Record<string, number>, { step: this.updates + 1, where: 'SAC update' });
    this.engine.commit();
    this.updates++;
    if (this.config.learnAlpha)
      this.logAlpha = stepLogAlpha(this.alphaAdam, this.logAlpha, -(s[2] + this.targetEntropy), this.config.alphaLr);
    return stats;
  }
}
