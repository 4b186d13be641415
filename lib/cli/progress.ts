/**
 * Progress on stderr, per experiment and seed, with an estimate of the time left. On a terminal it is
 * one line redrawn in place; otherwise (CI logs, files) plain lines: one per finished seed, and a
 * heartbeat for long seeds at most every HEARTBEAT_S seconds.
 */
import type { WorkUnit } from '../seed-store';

const HEARTBEAT_S = 30;

export function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

interface Running {
  unit: WorkUnit;
  started: number;
  frac: number;
  note?: string;
  lastBeat: number;
}

export interface ProgressOptions {
  /** Units running side by side (worker threads; 1 for the main thread). */
  lanes?: number;
  stream?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  tty?: boolean;
  /** Milliseconds; injectable so that tests can check the estimate exactly. */
  now?: () => number;
}

export class Progress {
  private readonly running = new Map<string, Running>();
  private readonly pending = new Set<string>();
  /** Seconds taken by each finished seed, per experiment. */
  private readonly took = new Map<string, number[]>();
  private finished = 0;
  private failed = 0;
  private lineShown = false;
  private lastDraw = 0;
  private readonly total: number;
  private readonly lanes: number;
  private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  private readonly tty: boolean;
  private readonly now: () => number;

  constructor(units: WorkUnit[], opts: ProgressOptions = {}) {
    this.total = units.length;
    for (const u of units) this.pending.add(this.key(u));
    this.lanes = Math.max(1, opts.lanes ?? 1);
    this.stream = opts.stream ?? process.stderr;
    this.tty = opts.tty ?? (Boolean(this.stream.isTTY) && process.env.TERM !== 'dumb');
    this.now = opts.now ?? (() => performance.now());
  }

  private key(u: WorkUnit) {
    return `${u.experiment}/${u.seed}`;
  }

  /** Seconds one seed of an experiment takes: its finished seeds, else its running seeds' pace, else any seed's (finished, then running). */
  private seedSeconds(experiment: string): number {
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const own = this.took.get(experiment);
    if (own?.length) return mean(own);
    const pace = (r: Running) => (this.now() - r.started) / 1000 / r.frac;
    const moving = [...this.running.values()].filter((r) => r.frac > 0);
    const paces = moving.filter((r) => r.unit.experiment === experiment).map(pace);
    if (paces.length) return mean(paces);
    const all = [...this.took.values()].flat();
    if (all.length) return mean(all);
    return moving.length ? mean(moving.map(pace)) : NaN;
  }

  /**
   * Time left in seconds: the work left in running seeds (by their own pace) and in waiting seeds (by what
   * a seed of that experiment took), shared over the lanes. Experiments differ a lot (a tabular seed takes
   * seconds, a deep one minutes), hence the per-experiment estimate.
   */
  eta(): number {
    let work = 0;
    for (const r of this.running.values()) {
      const elapsed = (this.now() - r.started) / 1000;
      work += r.frac > 0 ? (elapsed * (1 - r.frac)) / r.frac : Math.max(0, this.seedSeconds(r.unit.experiment) - elapsed);
    }
    for (const k of this.pending) {
      if (!this.running.has(k)) work += this.seedSeconds(k.slice(0, k.lastIndexOf('/')));
    }
    return work / Math.min(this.lanes, Math.max(1, this.pending.size));
  }

  private counter(): string {
    return `[${this.finished + this.failed}/${this.total} seeds, ~${fmtDuration(this.eta())} left]`;
  }

  start(u: WorkUnit): void {
    this.running.set(this.key(u), { unit: u, started: this.now(), frac: 0, lastBeat: this.now() });
    if (this.tty) this.redraw();
    else this.line(`${this.counter()} ${u.experiment} seed ${u.seed} started`);
  }

  update(u: WorkUnit, done: number, total: number, note?: string): void {
    const r = this.running.get(this.key(u));
    if (!r) return;
    r.frac = total > 0 ? Math.min(1, Math.max(0, done / total)) : 0;
    r.note = note;
    if (this.tty) {
      // Experiments may report thousands of times a second: redraw at most ten times a second.
      if (this.now() - this.lastDraw > 100) this.redraw();
    } else if (this.now() - r.lastBeat > HEARTBEAT_S * 1000) {
      r.lastBeat = this.now();
      this.line(`${this.counter()} ${u.experiment} seed ${u.seed} ${Math.round(r.frac * 100)}%${note ? ` ${note}` : ''}`);
    }
  }

  finish(u: WorkUnit, seconds: number): void {
    this.running.delete(this.key(u));
    this.pending.delete(this.key(u));
    this.took.set(u.experiment, [...(this.took.get(u.experiment) ?? []), seconds]);
    this.finished++;
    this.line(`${this.counter()} ${u.experiment} seed ${u.seed} done in ${seconds.toFixed(1)} s`);
  }

  /** A unit that will not run (its experiment already failed): no longer counted as work left. */
  skip(u: WorkUnit): void {
    this.pending.delete(this.key(u));
  }

  fail(u: WorkUnit, message: string): void {
    this.running.delete(this.key(u));
    this.pending.delete(this.key(u));
    this.failed++;
    this.line(`${u.experiment} seed ${u.seed} FAILED: ${message}`);
  }

  /** A plain message, kept above the live line. */
  line(text: string): void {
    this.clear();
    this.stream.write(`${text}\n`);
    if (this.tty && this.running.size) this.redraw();
  }

  private redraw(): void {
    const parts = [...this.running.values()].map(
      (r) => `${r.unit.experiment}#${r.unit.seed} ${Math.round(r.frac * 100)}%${r.note ? ` ${r.note}` : ''}`,
    );
    const width = Math.max(20, (this.stream.columns || 100) - 1); // columns is 0 on a pty without a size
    let text = `${this.counter()} ${parts.join(' · ')}`;
    if (text.length > width) text = `${text.slice(0, width - 1)}…`;
    this.stream.write(`\r\x1b[2K${text}`);
    this.lineShown = true;
    this.lastDraw = this.now();
  }

  clear(): void {
    if (this.lineShown) {
      this.stream.write('\r\x1b[2K');
      this.lineShown = false;
    }
  }
}
