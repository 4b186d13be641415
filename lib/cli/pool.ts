/**
 * Spreads (experiment, seed) units over worker threads (started by lib/ts-worker.ts). A seed's numbers
 * depend only on (experiment, scale, seed), never on which worker ran it or when, so results are identical
 * whatever the worker count.
 */
import * as path from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { Experiment, Scale, SeedResult } from '../experiment';
import { startTsWorker } from '../ts-worker';
import type { SweepSpec } from '../sweep';
import type { WorkUnit } from '../seed-store';
import { runUnit } from './unit-runner';
import type { RunMessage, WorkerInit, WorkerReply } from './worker';

export interface PoolEvents {
  /** Asked just before a unit is dispatched; false skips it (e.g. its experiment already failed). */
  shouldRun(unit: WorkUnit): boolean;
  onStart(unit: WorkUnit): void;
  onProgress(unit: WorkUnit, done: number, total: number, note?: string): void;
  onDone(unit: WorkUnit, result: SeedResult, seconds: number): void;
  onError(unit: WorkUnit, message: string): void;
}

export interface PoolOptions {
  /** Worker threads; 0 runs every unit in this thread, one after another. */
  workers: number;
  registry: string;
  scale: Scale;
  /** The loaded registry (used when workers = 0). */
  experiments: Experiment[];
  /** Each experiment's complete, checked config (sent with every unit). */
  configs: ReadonlyMap<string, object>;
  /** A config sweep: its variants are among `experiments`, and workers build them too. */
  sweep?: SweepSpec;
}

const WORKER_FILE = path.join(__dirname, 'worker.ts');

export class UnitPool {
  private readonly threads = new Set<Worker>();
  private stopped = false;

  constructor(private readonly opts: PoolOptions) {}

  async run(units: WorkUnit[], ev: PoolEvents): Promise<void> {
    if (this.opts.workers === 0) return this.runHere(units, ev);
    const queue = [...units];
    const next = (): WorkUnit | undefined => {
      while (queue.length) {
        const u = queue.shift()!;
        if (ev.shouldRun(u)) return u;
      }
      return undefined;
    };
    const lanes = Array.from({ length: Math.min(this.opts.workers, units.length) }, () => this.lane(next, ev));
    await Promise.all(lanes);
  }

  /** One worker thread taking units until the queue is empty; a crashed thread is replaced. */
  private async lane(next: () => WorkUnit | undefined, ev: PoolEvents): Promise<void> {
    let worker: Worker | null = null;
    try {
      for (let unit = next(); unit && !this.stopped; unit = next()) {
        worker ??= this.spawn();
        ev.onStart(unit);
        const ok = await this.dispatch(worker, unit, ev);
        if (!ok) {
          this.threads.delete(worker);
          await worker.terminate();
          worker = null;
        }
      }
    } finally {
      if (worker) {
        this.threads.delete(worker);
        await worker.terminate();
      }
    }
  }

  private spawn(): Worker {
    const init: WorkerInit = { registry: this.opts.registry, scale: this.opts.scale, sweep: this.opts.sweep };
    const w = startTsWorker(WORKER_FILE, init);
    this.threads.add(w);
    return w;
  }

  /** Runs one unit on a worker; resolves false when the worker itself died (it is then replaced). */
  private dispatch(w: Worker, unit: WorkUnit, ev: PoolEvents): Promise<boolean> {
    return new Promise((resolve) => {
      const cleanup = () => {
        w.off('message', onMessage);
        w.off('error', onError);
        w.off('exit', onExit);
      };
      const onMessage = (m: WorkerReply) => {
        if (m.type === 'progress') ev.onProgress(unit, m.done, m.total, m.note);
        else {
          cleanup();
          if (m.type === 'done') ev.onDone(unit, m.result as SeedResult, m.seconds);
          else ev.onError(unit, m.stack ?? m.message);
          resolve(true);
        }
      };
      const onError = (err: Error) => {
        cleanup();
        if (!this.stopped) ev.onError(unit, `worker thread failed: ${err.stack ?? err.message}`);
        resolve(false);
      };
      const onExit = (code: number) => {
        cleanup();
        if (!this.stopped) ev.onError(unit, `worker thread exited with code ${code}`);
        resolve(false);
      };
      w.on('message', onMessage);
      w.on('error', onError);
      w.on('exit', onExit);
      const msg: RunMessage = { type: 'run', experiment: unit.experiment, seed: unit.seed, config: this.configOf(unit) };
      w.postMessage(msg);
    });
  }

  private async runHere(units: WorkUnit[], ev: PoolEvents): Promise<void> {
    for (const unit of units) {
      if (this.stopped || !ev.shouldRun(unit)) continue;
      const exp = this.opts.experiments.find((e) => e.id === unit.experiment)!;
      ev.onStart(unit);
      try {
        const { result, seconds } = await runUnit(exp, this.opts.scale, this.configOf(unit), unit.seed, (d, t, n) =>
          ev.onProgress(unit, d, t, n),
        );
        ev.onDone(unit, result, seconds);
      } catch (err) {
        ev.onError(unit, (err as Error).stack ?? String(err));
      }
    }
  }

  private configOf(unit: WorkUnit): object {
    const config = this.opts.configs.get(unit.experiment);
    if (!config) throw new Error(`pool: no config for ${unit.experiment}`);
    return config;
  }

  /** Stops every thread now (Ctrl-C); units already reported done stay saved. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all([...this.threads].map((w) => w.terminate()));
    this.threads.clear();
  }
}
