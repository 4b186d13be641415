/**
 * A set-up check for E7 Stage B's positive control (issue 25), not a result of its claims: does a likelihood
 * dynamics model (the MBPO ensemble of lib/deep/dynamics.ts) whose (x, y) input is quantised to the 0.2 grid
 * predict steps through the point maze's wall, where the same model at full resolution does not?
 *
 * Data: transitions of the uniform random policy from the maze's start (as in MBPO's random phase) plus from
 * uniformly drawn free states, so the cells below the wall are covered. The quantised model is trained on
 * (q(s), a) → Δ = s' − s through the unchanged ensemble, by giving it obs q(s) and next obs q(s) + Δ; its
 * prediction for s is s + Δ̂. Probes: states just below the wall (y ∈ [−0.15, −0.05), x ∈ [−0.95, −0.05]) with
 * the action straight up, and states anywhere with random actions. Prints the crossing fraction of each model
 * (`crossesWall`: halfway through the wall or beyond) and, below the wall, how many predictions end inside it.
 *
 * Run: npx tsx scripts/e7-crossing-check.ts
 */
import { initBackend } from '../lib/deep/backend';
import { GaussianEnsemble, type Transitions } from '../lib/deep/dynamics';
import { crossingFraction, insideWall, PointMaze } from '../lib/envs/point-maze';
import { Rng } from '../lib/rng';

const N = 6000;
const STEPS = 3000;

function collect(rng: Rng): Transitions {
  const env = new PointMaze();
  const obs: number[] = [];
  const act: number[] = [];
  const rew: number[] = [];
  const next: number[] = [];
  let o = env.reset(rng.fork('reset-0'));
  for (let i = 0; obs.length < 2 * N; i++) {
    if (i % 50 === 0) {
      // Half the episodes from the start, half from a uniformly drawn free state.
      let p: [number, number];
      do p = [rng.range(-1, 1), rng.range(-1, 1)];
      while (insideWall(p[0], p[1]));
      o = i % 100 === 0 ? env.reset(rng.fork(`reset-${i}`)) : env.resetTo(p[0], p[1]);
    }
    const a = [rng.range(-1, 1), rng.range(-1, 1)];
    const r = env.step(a);
    obs.push(...o);
    act.push(...a);
    rew.push(r.reward);
    next.push(...r.obs);
    o = r.terminated || r.truncated ? env.reset(rng.fork(`reset-t${i}`)) : r.obs;
  }
  return { n: N, obs: Float32Array.from(obs), act: Float32Array.from(act), rew: Float32Array.from(rew), nextObs: Float32Array.from(next) };
}

/** The MBPO ensemble of the paper-scale settings; `inputCell` 0.2: the capacity limit the E7 Stage B arms use (GaussianEnsemble quantises its own input). */
function train(data: Transitions, inputCell: number, rng: Rng): GaussianEnsemble {
  const m = new GaussianEnsemble(
    { obsDim: 2, actDim: 2, members: 7, elites: 5, hidden: [128, 128], lr: 1e-3, minLogStd: -5, maxLogStd: 0.25, inputCell },
    rng.fork('init'),
  );
  m.fitLikelihood(data, { steps: STEPS, batch: 128 }, rng.fork('fit'));
  m.selectElites(data);
  return m;
}

/** Predicted next states s + Δ̂ for probe states (a quantised model sees q(s) by itself). */
function predict(m: GaussianEnsemble, obs: Float32Array, act: Float32Array, rng: Rng): Float32Array {
  return m.step(obs, act, obs.length / 2, rng).nextObs;
}

async function main() {
  await initBackend({ quiet: true });
  const rng = new Rng('e7-crossing-check');
  const data = collect(rng.fork('data'));
  const probeRng = rng.fork('probes');
  const below: number[] = [];
  const anyObs: number[] = [];
  const anyAct: number[] = [];
  for (let i = 0; i < 2000; i++) {
    below.push(probeRng.range(-0.95, -0.05), probeRng.range(-0.15, -0.05));
    let p: [number, number];
    do p = [probeRng.range(-1, 1), probeRng.range(-1, 1)];
    while (insideWall(p[0], p[1]));
    anyObs.push(...p);
    anyAct.push(probeRng.range(-1, 1), probeRng.range(-1, 1));
  }
  const belowObs = Float32Array.from(below);
  const up = new Float32Array(belowObs.length).map((_, i) => (i % 2 === 0 ? 0 : 1));
  for (const [name, quantise] of [
    ['full resolution', false],
    ['quantised 0.2', true],
  ] as const) {
    const m = train(data, quantise ? 0.2 : 0, rng.fork(name));
    const nextUp = predict(m, belowObs, up, rng.fork(`${name}/up`));
    const a = crossingFraction(belowObs, nextUp);
    let inside = 0;
    for (let i = 0; i < nextUp.length; i += 2) if (insideWall(nextUp[i], nextUp[i + 1])) inside++;
    const b = crossingFraction(
      Float32Array.from(anyObs),
      predict(m, Float32Array.from(anyObs), Float32Array.from(anyAct), rng.fork(`${name}/any`)),
    );
    console.log(
      `${name}: just below the wall, action up: crossing fraction ${a.toFixed(4)}, ending inside the wall ${(inside / (nextUp.length / 2)).toFixed(4)}; anywhere, random actions: crossing fraction ${b.toFixed(4)}`,
    );
  }
}

void main();
