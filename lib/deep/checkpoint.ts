/**
 * Checkpoint pieces shared by the model-based agents: tensors and optimiser slots as plain JSON-able
 * arrays, and a run folder written atomically (a temp folder renamed over the old one, so a crash
 * mid-save leaves the previous checkpoint whole).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface SavedTensor {
  name?: string;
  shape: number[];
  data: number[];
}

/**
 * tfjs's Adam recomputes its bias-correction products β^t with pow() on restore, which differs from the
 * running product it kept by float32 rounding; saving those two scalars too makes a restored optimiser
 * continue bit for bit.
 */
type AdamInternals = { accBeta1?: tf.Variable; accBeta2?: tf.Variable };
const ACC = ['accBeta1', 'accBeta2'] as const;

export async function saveOptimizer(opt: tf.Optimizer): Promise<SavedTensor[]> {
  const ws = await opt.getWeights();
  const out = ws.map((w) => ({ name: w.name, shape: w.tensor.shape, data: Array.from(w.tensor.dataSync()) }));
  const adam = opt as unknown as AdamInternals;
  for (const k of ACC) if (adam[k]) out.push({ name: `__${k}`, shape: [], data: Array.from(adam[k]!.dataSync()) });
  return out;
}

/** Restores an optimiser's slots (tensors are copied; nothing is left to dispose). */
export async function loadOptimizer(opt: tf.Optimizer, saved: SavedTensor[]): Promise<void> {
  const slots = saved.filter((w) => !w.name?.startsWith('__'));
  if (slots.length === 0) return;
  const named = slots.map((w) => ({ name: w.name ?? '', tensor: tf.tensor(w.data, w.shape) }));
  await opt.setWeights(named);
  for (const w of named) w.tensor.dispose();
  const adam = opt as unknown as AdamInternals;
  for (const k of ACC) {
    const s = saved.find((w) => w.name === `__${k}`);
    if (s && adam[k]) adam[k]!.assign(tf.scalar(s.data[0]));
  }
}

export function saveVariables(vars: tf.Variable[]): SavedTensor[] {
  return vars.map((v) => ({ name: v.name, shape: v.shape, data: Array.from(v.dataSync()) }));
}

export function loadVariables(vars: tf.Variable[], saved: SavedTensor[], where: string): void {
  if (saved.length !== vars.length) throw new Error(`${where}: checkpoint has ${saved.length} tensors, expected ${vars.length}`);
  tf.tidy(() =>
    vars.forEach((v, i) => {
      const s = saved[i];
      if (s.shape.join('x') !== v.shape.join('x')) throw new Error(`${where}: tensor ${i} has shape [${s.shape}], expected [${v.shape}]`);
      v.assign(tf.tensor(s.data, v.shape));
    }),
  );
}

/**
 * Writes `files` (name → contents) as the folder `dir`, atomically: into `dir.tmp-PID`, then the old folder
 * is moved aside and the new one renamed into place.
 */
export function writeFolderAtomic(dir: string, files: Record<string, string | Uint8Array>): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const old = `${dir}.old-${process.pid}`;
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.mkdirSync(tmp, { recursive: true });
  for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(tmp, name), data);
  if (fs.existsSync(dir)) fs.renameSync(dir, old);
  fs.renameSync(tmp, dir);
  fs.rmSync(old, { recursive: true, force: true });
}
