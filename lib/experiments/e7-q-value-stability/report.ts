/** E7's report over the seeds run.ts computes: Stage A (exact) and Stage B (deep), and what its notebook shows. */
import type { FigureOf, ReportContext, Scale, SeedResult } from '../../experiment';
import { gather, joinedFigures } from '../../experiment';
import { type E7Tables, type StageBConfig, STAGE_B_CONFIG } from './run';
import { stageAReport } from './stage-a-report';
import { describeStageB, stageBClaims, stageBFigures, type StageBSummary, stageBTables, summariseStageB } from './stage-b-report';

/** Stage B's summary of these results (config: the run's; the scale's defaults when not given). */
export function summariseE7(
  results: SeedResult<E7Tables>[],
  scale: Scale,
  config: StageBConfig = STAGE_B_CONFIG.defaults(scale),
): StageBSummary {
  return summariseStageB(gather(results, 'q_values'), scale, config);
}

export function report(results: SeedResult<E7Tables>[], { scale, config }: ReportContext<StageBConfig>) {
  const a = stageAReport(results);
  const b = summariseE7(results, scale, config);
  // Stage A is exact: its claims come first and are never made inconclusive by Stage B's gates.
  return {
    tables: { ...a.tables, ...stageBTables(b) },
    figures: joinedFigures(a.figures, stageBFigures(b)),
    claims: [...a.claims, ...stageBClaims(b)],
  };
}

/** The answer to Stage B's question in words, computed from the results (95% intervals over seeds). */
export function describeE7(results: SeedResult<E7Tables>[], scale: Scale, config?: StageBConfig): string {
  return describeStageB(summariseE7(results, scale, config));
}

/** The figures E7's report draws: what a notebook may ask for (`rep.figures.<key>`). */
export type E7Figure = FigureOf<typeof report>;
