/** E11's report over the seeds run.ts computes: its summary, tables, figures and claims, and what its notebook shows. */
import pl from 'nodejs-polars';
import { claim, markInconclusive } from '../../claims';
import type { FigureOf, Claim, Report, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, namedFigures } from '../../experiment';
import { finalReturnsSpec } from '../../plot/final-returns';
import { fmt, fmtSummary, mean, onPar, std, unpairedSE } from '../../stats';
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
  return s.algos.map((algo) => {
    const v = s.finals[algo];
    return {
      panel: 'hopper',
      x: ALGO_LABEL[algo],
      mean: mean(v),
      lo: mean(v) - std(v),
      hi: mean(v) + std(v),
      std: std(v),
      seeds: v.length,
      steps: s.steps[algo],
    };
  });
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
        title: `E11: final evaluation return on Hopper-v5 (${s.scale}, size ${s.size}; ${s.seeds} seeds)`,
        xTitle: 'algorithm',
        yTitle: 'final evaluation return',
        order: s.algos.map((a) => ALGO_LABEL[a]),
      },
    ),
  });
}

function e11Claims(s: E11Summary): Claim[] {
  const claims: Claim[] = [];
  if (s.algos.includes('mnm') && s.algos.includes('mbpo')) {
    const m = s.finals.mnm;
    const b = s.finals.mbpo;
    const se = unpairedSE(m, b);
    claims.push(
      claim({
        id: 'E11.hopper-mnm-on-par-with-mbpo',
        experiment: 'e11-hopper',
        claim: 'On Hopper-v5 MnM-approx performs on par with MBPO: final returns differ by less than 2 standard errors',
        paper: 'Fig. 4a: "MnM-approx performs roughly on par with MBPO" on the OpenAI Gym tasks (Hopper among them)',
        holds: onPar(m, b),
        measured: `MnM-approx ${fmtSummary(m, 4)}, MBPO ${fmtSummary(b, 4)}; difference ${fmt(mean(m) - mean(b), 3)} (2 SE = ${fmt(2 * se, 3)}); ${s.steps.mnm} env steps, ${s.scale} scale, size ${s.size}`,
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
