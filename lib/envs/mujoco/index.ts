/** MuJoCo tasks (Gymnasium v5 semantics: InvertedPendulum, Hopper, HalfCheetah) on the official MuJoCo WebAssembly module; see docs/mujoco.md. */
export { loadMujoco, compileModel, heapBytes, MUJOCO_PACKAGE } from './module';
export { MujocoEnv } from './env';
export { InvertedPendulum, INVERTED_PENDULUM } from './inverted-pendulum';
export { Hopper, HOPPER } from './hopper';
export { HalfCheetah, HALF_CHEETAH } from './half-cheetah';
