/**
 * The point maze's value range D (issue 25): the scripted round-the-wall policy minus the uniform random
 * policy, under the evaluation estimator (lib/deep/value-range.ts). Prints the numbers behind the committed
 * MAZE_VALUE_RANGE. Run: npx tsx scripts/maze-value-range.ts
 */
import { MAZE_VALUE_RANGE, mazeValueRange } from '../lib/deep/value-range';
import { Rng } from '../lib/rng';

const c = MAZE_VALUE_RANGE;
const r = mazeValueRange(c.episodes, c.gamma, new Rng(c.seedKey));
const line = (name: string, v: typeof r.good) =>
  `${name}: value ${v.value.toFixed(4)} (mean G_t over ${v.steps} steps of ${v.episodes} episodes), from the start ${v.startValue.toFixed(4)}, undiscounted return ${v.meanReturn.toFixed(4)}`;
console.log(line('round the wall', r.good));
console.log(line('uniform random', r.random));
console.log(`D = ${r.D.toFixed(4)} (gamma ${c.gamma})`);
