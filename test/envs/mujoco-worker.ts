// Worker body for test/envs/mujoco.test.ts: loads the MuJoCo module in this thread, runs the same episode, posts its observations.
import { parentPort } from 'node:worker_threads';
import { Hopper } from '../../lib/envs/mujoco/hopper';
import { loadMujoco } from '../../lib/envs/mujoco/module';

void loadMujoco().then(() => {
  const env = new Hopper();
  const obs = [Array.from(env.reset(4))];
  for (let t = 0; t < 30; t++) {
    const s = env.step([Math.sin(t), Math.cos(t), 0.5]);
    obs.push(Array.from(s.obs));
    if (s.terminated || s.truncated) break;
  }
  env.close();
  parentPort?.postMessage(obs);
});
