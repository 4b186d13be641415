/**
 * The playground's worker: runs the computations off the page's thread and answers each request with its id.
 * The page starts two: one for the exact computations (answered in order, quickly) and one for learning runs,
 * which it terminates to cancel a run.
 */
import { gridOutline } from '../experiments/grid-learning';
import type { GridOptions, Gridworld } from '../tabular/gridworld';
import {
  alternatingRows,
  type BoundRow,
  CURVE_METHODS,
  FIG3B_REWARDS,
  gridFromText,
  learnCurve,
  learnPath,
  optimalReturn,
  optimismArrows,
  paperCapacityPaths,
  riskView,
  sideMap,
  ValueIterationStepper,
} from './compute';
import { engineFromBase64, runDeepSac } from './deep';
import type { Envelope, Reply, Request } from './protocol';
import type { WasmModule } from '../engine/wasm';

/** The worker's global scope, typed by hand (the DOM and WebWorker libraries cannot both be loaded). */
declare const self: { onmessage: ((e: { data: { id: number; request: Request } }) => void) | null; postMessage(m: Envelope): void };

/** lib/engine/build/engine.wasm in base64, put in this bundle by build.ts (esbuild's define). */
declare const ENGINE_WASM_BASE64: string;
/** Compiled on the first deep run. */
let engine: WasmModule | null = null;

/** The bound panel's procedure, kept between requests so that it can go on one iteration at a time. */
let bound: { stepper: ValueIterationStepper } | { rows: BoundRow[]; converged: boolean; shown: number } | null = null;
const CONVERGED = 1e-10;

function grid(map: { name: string; text: string }, opts: GridOptions): Gridworld {
  return gridFromText(map.text, map.name, opts);
}

function handle(req: Request, send: (r: Reply) => void): Reply {
  switch (req.kind) {
    case 'risk':
      return { kind: 'risk', view: riskView(req.params) };
    case 'side-map':
      return { kind: 'side-map', cells: sideMap(req.params, req.x, req.y, req.n) };
    case 'bound': {
      if (req.reset || !bound) {
        const g = grid(req.map, { gamma: req.gamma, ...(req.rewards === 'fig3b' ? { rewards: FIG3B_REWARDS } : {}) });
        const [kind, objective] = req.procedure.split('-') as ['vi' | 'alt', 'mnm' | 'vmbpo'];
        bound = kind === 'vi' ? { stepper: new ValueIterationStepper(g, objective) } : { ...alternatingRows(g, objective), shown: 0 };
      }
      if ('stepper' in bound) {
        const rows = [];
        for (let i = 0; i < req.steps; i++) {
          const row = bound.stepper.step();
          rows.push(row);
          if (row.change < CONVERGED) return { kind: 'bound', rows, converged: true };
        }
        return { kind: 'bound', rows, converged: false };
      }
      // The alternating procedure ran to its end at the reset (its iterations are cheap); show the next ones.
      const rows = bound.rows.slice(bound.shown, bound.shown + req.steps);
      bound.shown += rows.length;
      return { kind: 'bound', rows, converged: bound.shown === bound.rows.length && bound.converged };
    }
    case 'arrows':
      return { kind: 'arrows', arrows: optimismArrows(grid(req.map, { noise: req.noise, gamma: req.gamma }), req.form) };
    case 'curves': {
      const g = grid(req.map, {});
      const jStar = optimalReturn(g);
      for (const { method } of CURVE_METHODS.filter((m) => req.methods.includes(m.method))) {
        learnCurve(g, method, req.seed, req.updates, (point) => send({ kind: 'curve-point', method, point, jStar }));
      }
      return { kind: 'curves', done: true };
    }
    case 'paths': {
      const g = grid(req.map, {});
      const results =
        req.procedure === 'paper'
          ? paperCapacityPaths(g)
          : (['mnm', 'mnm-no-classifier'] as const).map((m) => learnPath(g, m, req.seed, req.updates));
      return { kind: 'paths', results, outline: gridOutline(g) };
    }
    case 'deep':
      engine ??= engineFromBase64(ENGINE_WASM_BASE64);
      runDeepSac(req.params, engine, (point) => send({ kind: 'deep-point', point }));
      return { kind: 'deep', done: true };
  }
}

self.onmessage = (e) => {
  const { id, request } = e.data;
  const t0 = performance.now();
  try {
    const reply = handle(request, (r) => self.postMessage({ id, ok: true, reply: r }));
    self.postMessage({ id, ok: true, reply, ms: performance.now() - t0 });
  } catch (err) {
    self.postMessage({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
  }
};
