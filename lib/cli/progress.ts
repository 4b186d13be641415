/**
 * Progress on stderr, per experiment and seed, with an estimate of the time left. On a terminal it is
 * one line redrawn in place; otherwise (CI logs, files) plain lines: one per finished seed, and a
 * heartbeat for long seeds at most every HEARTBEAT_S seconds.
 */
import type { WorkUnit } from './seed-store';

const HEARTBEAT_S = 30;

export function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '?';
  if (s < 60) return `${Math.round(s)}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(Math.round(s % 60)).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

interface Running { unit: WorkUnit; frac: number; note?: string; lastBeat: number }

export class Progress {
  private readonly running = new Map<string, Running>();
  private finished = 0;
  private failed = 0;
  private readonly t0: number;
  private lineShown = false;
  private lastDraw = 0;

  constructor(
    private readonly total: number,
    private readonly stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number } = process.stderr,
    private readonly tty = Boolean(stream.isTTY) && process.env.TERM !== 'dumb',
    /** Milliseconds; injectable so that tests can check the estimate exactly. */
    private readonly now: () => number = () => performance.now(),
  ) {
    this.t0 = this.now();
  }

  private key(u: WorkUnit) {
    return `${u.experiment}/${u.seed}`;
  }

  /** Time left: elapsed time scaled by the fraction of work not yet done (running seeds count by their progress). */
  eta(): number {
    let done = this.finished + this.failed;
    for (const r of this.running.values()) done += r.frac;
    const elapsed = (this.now() - this.t0) / 1000;
    if (done <= 0) return NaN;
    return (elapsed * (this.total - done)) / done;
  }

  private counter(): string {
    return `[${this.finished + this.failed}/${this.total} seeds, ~${fmtDuration(this.eta())} left]`;
  }

  start(u: WorkUnit): void {
    this.running.set(this.key(u), { unit: u, frac: 0, lastBeat: this.now() });
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
    this.finished++;
    this.line(`${this.counter()} ${u.experiment} seed ${u.seed} done in ${seconds.toFixed(1)} s`);
  }

  fail(u: WorkUnit, message: string): void {
    this.running.delete(this.key(u));
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
    const parts = [...this.running.values()].map((r) => `${r.unit.experiment}#${r.unit.seed} ${Math.round(r.frac * 100)}%${r.note ? ` ${r.note}` : ''}`);
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
