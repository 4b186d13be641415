/**
 * A progress line for notebooks: ONE output that is updated in place (Jupyter's update_display_data with a
 * display id), so a long training cell shows "e7 seed 2/3 · 41% · MBPO step 500: return −81.2" instead of
 * hundreds of lines. Outside a notebook it prints nothing (the command line has its own progress bar).
 *
 *   const progress = progressLine('E7');
 *   await runExperiment(e7, { scale, progress });
 *   progress.done();
 */
import type { RunOptions } from '../experiment';
import { writeOutput } from './kernel';

let counter = 0;

export type ProgressLine = NonNullable<RunOptions['progress']> & { done: (text?: string) => void };

/** A RunOptions.progress callback that redraws one notebook output at most every `everyMs`. */
export function progressLine(label: string, everyMs = 500): ProgressLine {
  const id = `mnm-progress-${process.pid}-${counter++}`;
  const t0 = Date.now();
  let shown = false;
  let last = 0;
  const draw = (text: string, force: boolean) => {
    const now = Date.now();
    if (!force && shown && now - last < everyMs) return;
    if (!writeOutput({ 'text/plain': text }, { displayId: id, update: shown })) return;
    last = now;
    shown = true;
  };
  const cb = ((info: { seed: number; seeds: number; done: number; total: number; note?: string }) => {
    const pct = info.total > 0 ? Math.round((100 * info.done) / info.total) : 0;
    const secs = ((Date.now() - t0) / 1000).toFixed(0);
    draw(`${label}: seed ${info.seed + 1}/${info.seeds} · ${pct}% · ${secs} s${info.note ? ` · ${info.note}` : ''}`, false);
  }) as ProgressLine;
  cb.done = (text?: string) => draw(text ?? `${label}: done in ${((Date.now() - t0) / 1000).toFixed(0)} s`, true);
  return cb;
}
