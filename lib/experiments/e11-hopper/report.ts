/** E11's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { finalReturnsSpec, groupSummary } from '../../plot/final-returns';
import { decide, fmt, fmtInterval, fmtSummary, mean, welchInterval } from '../../stats';
import { ALGO_LABEL, type Algo, finalRows, runConfig, type RunSize } from '../deep-runs';
import { MIN_SEEDS } from '../deep-sanity';
import { type HopperConfig, type HRow, type E11Tables } from './run';

/** What the report reads, computed once: each agent's final returns by agent id. */
interface E11Summary {
  scale: Scale;
  size: RunSize;
  seeds: number;
  algos: Algo[];
  rows: HRow[];
  /** The last evaluation of each (seed, agent). */
  fin: HRow[];
  finals: Record<Algo, number[]>;
  /** Env steps of one run of each agent. */
  steps: Record<Algo, number>;
}

function summarise(results: SeedResult<E11Tables>[], scale: Scale, c: HopperConfig): E11Summary {
  const rows = gather(results, 'returns');
  const fin = finalRows(rows, (r) => r.algo);
  const finalsOf = (algo: Algo) => fin.filter((r) => r.algo === algo).map((r) => r.eval_return);
  const stepsOf = (algo: Algo) => runConfig('hopper', algo, scale, 1, c.size).totalSteps;
  return {
    scale,
    size: c.size,
    seeds: results.length,
    algos: c.algos,
    rows,
    fin,
    finals: { sac: finalsOf('sac'), mbpo: finalsOf('mbpo'), mnm: finalsOf('mnm') },
    steps: { sac: stepsOf('sac'), mbpo: stepsOf('mbpo'), mnm: stepsOf('mnm') },
  };
}

/** Mean ± std of each agent's final return: the bars of the figure and the final_returns table. */
function finalSummary(s: E11Summary) {
  return s.algos.map((algo) => ({ ...groupSummary('hopper', ALGO_LABEL[algo], s.finals[algo]), steps: s.steps[algo] }));
}

function e11Tables(s: E11Summary): Report['tables'] {
  return { returns: pl.DataFrame(s.rows), final_returns: pl.DataFrame(finalSummary(s)) };
}

function e11Figures(s: E11Summary) {
  return namedFigures({
    final_returns: finalReturnsSpec(
      s.fin.map((r) => ({ panel: 'hopper', x: ALGO_LABEL[r.algo], seed: r.seed, value: r.eval_return })),
      finalSummary(s),
      {
        title: `E11: final evaluation return on Hopper-v5 (${s.scale}, size ${s.size}; ${s.seeds === 1 ? '1 seed: n = 1, no interval' : `${s.seeds} seeds, mean ± 1 std`})`,
        xTitle: 'algorithm',
        yTitle: 'final evaluation return',
        order: s.algos.map((a) => ALGO_LABEL[a]),
      },
    ),
  });
}

/** The "on par" margin (TOST), declared before results: 10% of a Hopper return of 3,000, about what MBPO reports by 125k env steps. */
export const HOPPER_ON_PAR_MARGIN = 300;

function e11Claims(s: E11Summary): Claim[] {
  const claims: Claim[] = [];
  if (s.algos.includes('mnm') && s.algos.includes('mbpo')) {
    const m = s.finals.mnm;
    const b = s.finals.mbpo;
    claims.push(
      claim({
        id: 'E11.hopper-mnm-on-par-with-mbpo',
        experiment: 'e11-hopper',
        claim: `On Hopper-v5 MnM-approx performs on par with MBPO: final returns within ±${HOPPER_ON_PAR_MARGIN} (equivalence, 95% interval)`,
        paper: 'Fig. 4a: "MnM-approx performs roughly on par with MBPO" on the OpenAI Gym tasks (Hopper among them)',
        origin: 'paper',
        evidence: [
          decide(
            { quantity: 'final Hopper-v5 return, MnM-approx − MBPO (independent runs)', direction: 'on par', margin: HOPPER_ON_PAR_MARGIN },
            welchInterval(m, b),
          ),
        ],
        seeds: m.length,
        measured: `MnM-approx ${fmtSummary(m, 4)}, MBPO ${fmtSummary(b, 4)}; difference ${fmt(mean(m) - mean(b), 3)} (95% Welch interval ${fmtInterval(welchInterval(m, b))}); ${s.steps.mnm} env steps, ${s.scale} scale, size ${s.size}`,
      }),
    );
  }
  // Decided only by the cluster size (Hopper's returns take tens of thousands of env steps to grow) and enough seeds.
  const why =
    s.size !== 'cluster'
      ? `${s.steps.mnm} env steps per run: too few for Hopper to learn; only config size 'cluster' (125k) can decide`
      : s.seeds < MIN_SEEDS
        ? `only ${s.seeds} seed${s.seeds === 1 ? '' : 's'} ran; a verdict needs at least ${MIN_SEEDS}`
        : null;
  return markInconclusive(claims, why);
}

export function report(results: SeedResult<E11Tables>[], { scale, config }: ReportContext<HopperConfig>) {
  const s = summarise(results, scale, config);
  return { tables: e11Tables(s), figures: e11Figures(s), claims: e11Claims(s) };
}

/** The figures E11's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E11Figure = FigureOf<typeof report>;
