/**
 * Checkpoint pieces shared by the model-based agents: variables as plain JSON-able arrays (optimiser
 * moments are FlatAdam's own plain arrays), and a run folder written atomically (a temp folder renamed
 * over the old one, so a crash mid-save leaves the previous checkpoint whole).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as tf from '@tensorflow/tfjs';

export interface SavedTensor {
  name?: string;
  shape: number[];
  data: number[];
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
