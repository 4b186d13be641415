/**
 * E1–E4 under two settings: `paper` (the authors' maps, rewards, noise, γ and procedures, docs/PAPER-SETTINGS.md)
 * and `project` (the settings this project chose first, kept as a robustness check). An experiment's config
 * gains `setting: 'paper' | 'project' | 'both'` (default both, so `mnm run` reports both): an experiment's run.ts
 * combines its project seed with its paper part's (withSettingConfig, runSeedWithSettings), its report.ts the two
 * reports (reportWithSettings), so a paper part's report stays out of the seed fingerprint.
 *
 * A seed's tables of the paper part are stored under `paper/<name>`; the report gives its tables and
 * figures the prefix `paper_`, and its claims come first, each naming the project-setting claim it
 * corresponds to and that claim's verdict, so a claim that holds under one setting and not the other
 * reads as such.
 */
import { type ConfigSpec, rules, withParameters } from '../config';
import type { Claim, Experiment, Report, ReportContext, Scale, SeedContext, SeedResult, Tables } from '../experiment';
import { joinedFigures, prefixedFigures } from '../experiment';

export type SettingChoice = 'paper' | 'project' | 'both';
export const SETTING_CHOICES: readonly SettingChoice[] = ['paper', 'project', 'both'];
export interface WithSetting {
  setting: SettingChoice;
}

/** What a paper part adds to an experiment's seeds: its own tables `T`, one row type per table (in the experiment's run.ts). */
export interface PaperRun<C extends object, T extends Tables = Tables> {
  /** Whether this seed runs the paper part (deterministic parts run in seed 0 only). */
  runsIn(scale: Scale, seed: number): boolean;
  runSeed(ctx: SeedContext<C & WithSetting>): T;
}

/** The paper part's report from its seeds' tables; `project` holds the project-setting claims when they ran (in report.ts). */
export interface PaperReport<C extends object, T extends Tables = Tables, P extends string = string> {
  report(results: SeedResult<T>[], ctx: ReportContext<C & WithSetting>, project: Claim[]): Report<P> | Promise<Report<P>>;
}

const PREFIX = 'paper/';

/**
 * The project claims behind a paper claim, with their verdicts, for its `measured` text; `why` (what differs
 * between the settings) is added when a verdict differs from the paper claim's (`paperHolds`).
 */
export function projectCounterpart(project: Claim[], ids: string[], why: string, paperHolds: boolean): string {
  if (project.length === 0) return '';
  const found = ids.map((id) => project.find((c) => c.id === id)).filter((c): c is Claim => c !== undefined);
  if (found.length === 0) return '';
  const verdicts = found.map((c) => `${c.id} ${c.holds ? 'holds' : 'does not hold'}`).join(', ');
  const differ = found.some((c) => c.holds !== paperHolds);
  return ` | Project setting: ${verdicts}.${differ ? ` The verdicts differ; what differs between the settings: ${why}` : ''}`;
}

const wants = (c: WithSetting, s: 'paper' | 'project') => c.setting === 'both' || c.setting === s;

/** The project config with `setting` added. */
export function withSettingConfig<C extends object>(project: ConfigSpec<C>): ConfigSpec<C & WithSetting> {
  return withParameters(project, {
    defaults: (): WithSetting => ({ setting: 'both' }),
    rules: { setting: rules.oneOf(SETTING_CHOICES) },
  });
}

/** One seed under the chosen setting(s): the project's tables, then the paper part's under `paper/<name>`. */
export function runSeedWithSettings<C extends object>(
  project: Experiment<C>['runSeed'],
  paper: PaperRun<C>,
): Experiment<C & WithSetting>['runSeed'] {
  return async (ctx) => {
    const tables: Tables = {};
    if (wants(ctx.config, 'project')) Object.assign(tables, (await project(ctx)).tables);
    if (wants(ctx.config, 'paper') && paper.runsIn(ctx.scale, ctx.seed)) {
      const own = paper.runSeed({ ...ctx, rng: ctx.rng.fork('paper-setting') });
      for (const [name, rows] of Object.entries(own)) tables[PREFIX + name] = rows;
    }
    return { tables };
  };
}

/**
 * The report under the chosen setting(s): the paper part's tables and figures prefixed `paper_`, its claims first.
 * Its figures are typed by both parts' keys; the part of a setting that did not run gives none.
 */
export function reportWithSettings<C extends object, F extends string, P extends string>(
  project: Experiment<C, Tables, F>['report'],
  paper: PaperReport<C, Tables, P>,
): Experiment<C & WithSetting, Tables, F | `paper_${P}`>['report'] {
  return async (results, ctx) => {
    const split = (paperPart: boolean): SeedResult[] =>
      results.map((r) => ({
        tables: Object.fromEntries(
          Object.entries(r.tables)
            .filter(([name]) => name.startsWith(PREFIX) === paperPart)
            .map(([name, rows]) => [paperPart ? name.slice(PREFIX.length) : name, rows]),
        ),
      }));
    const projectReport = wants(ctx.config, 'project') ? await project(split(false), ctx) : null;
    const paperReport = wants(ctx.config, 'paper')
      ? await paper.report(
          split(true).filter((r) => Object.keys(r.tables).length > 0),
          ctx,
          projectReport?.claims ?? [],
        )
      : null;
    const paperTables = Object.entries(paperReport?.tables ?? {}).map(([k, v]) => [`paper_${k}`, v]);
    return {
      tables: { ...Object.fromEntries(paperTables), ...projectReport?.tables },
      figures: joinedFigures(paperReport ? prefixedFigures('paper_', paperReport.figures) : {}, projectReport?.figures ?? {}),
      claims: [...(paperReport?.claims ?? []), ...(projectReport?.claims ?? [])],
    };
  };
}
