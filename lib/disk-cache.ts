/**
 * A result computed once and kept in a file: the first process to ask computes it while holding a lock
 * file (exclusive create, naming its PID); others asking for the same file meanwhile wait for the result
 * instead of computing it again. A lock left by a dead process is taken over.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, writeJsonAtomic } from './io';

/**
 * Takes `lockFile`. While another live process holds it, polls until `done()` or the lock is gone; a lock
 * left by a dead process is taken over. Returns the release function.
 */
export async function acquireLock(lockFile: string, done: () => boolean): Promise<() => void> {
  fs.mkdirSync(path.dirname(lockFile), { recursive: true });
  for (;;) {
    try {
      fs.writeFileSync(lockFile, String(process.pid), { flag: 'wx' });
      return () => fs.rmSync(lockFile, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (done()) return () => {};
    let text: string;
    try {
      text = fs.readFileSync(lockFile, 'utf8');
    } catch {
      continue; // released meanwhile: try again
    }
    const holder = Number(text);
    // An empty lock is being written right now: its holder is alive.
    let alive = text === '' || holder === process.pid;
    if (!alive && Number.isInteger(holder) && holder > 0) {
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (!alive) fs.rmSync(lockFile, { force: true });
    else await new Promise((res) => setTimeout(res, 1000));
  }
}

/**
 * The value saved in `file` under `field`, or else `compute()`'s, saved there (with `extra` beside it) for
 * the next caller. `file` null: no cache, just compute. `onHit` is called when the saved value is used.
 */
export async function cachedInFile<T>(
  file: string | null,
  field: string,
  compute: () => Promise<T>,
  opts: { extra?: Record<string, unknown>; onHit?: () => void } = {},
): Promise<T> {
  if (!file) return compute();
  const saved = () => (fs.existsSync(file) ? (readJson<Record<string, unknown>>(file)[field] as T) : null);
  const release = await acquireLock(`${file}.lock`, () => saved() !== null);
  try {
    const hit = saved();
    if (hit !== null) {
      opts.onHit?.();
      return hit;
    }
    const value = await compute();
    writeJsonAtomic(file, { ...opts.extra, [field]: value });
    return value;
  } finally {
    release();
  }
}
