/**
 * `mnm merge DIR... --out DIR`: combines the saved seeds of several results folders (shards run on
 * different machines, or separate runs) and recomputes every report and claim from the union of the
 * seeds, with each experiment's own report().
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { Experiment, Scale } from '../experiment';
import { ConfigError } from '../config';
import { showKey } from '../show';
import { expandSweep, parseSweep, type SweepSpec, withSweep } from '../sweep';
import { readSummary, SUMMARY_FILE } from '../report/summary';
import type { MergeOptions } from './args';
import { UsageError } from './errors';
import { openResultsFolder } from './folder-lock';
import { DEFAULT_REGISTRY, loadRegistry } from './registry';
import { checkedConfig } from './configs';
import { finishReport, reportExperiment } from './run';
import { listSeeds, saveSeed, type SeedRecord } from '../seed-store';
import { note } from './output';

export async function mergeCommand(opts: MergeOptions): Promise<number> {
  const registry = opts.registry ?? DEFAULT_REGISTRY;
  const registered = loadRegistry(registry);
  let sweep: SweepSpec | undefined;
  const byUnit = new Map<string, { rec: SeedRecord; from: string }>();
  const expected = new Map<string, number>();
  for (const dir of opts.inputs) {
    // A merge never drops a seed silently: any seed file it cannot trust stops it, named.
    const { records: recs, bad } = listSeeds(dir);
    if (bad.length) {
      throw new UsageError(
        `merge: ${bad.length} saved seed file(s) in ${dir} cannot be used:\n` +
          bad.map((b) => `  ${b.message}`).join('\n') +
          '\nrerun those seeds (mnm run with the same flags into that folder recomputes them), then merge again',
      );
    }
    if (recs.length === 0) throw new UsageError(`merge: ${dir} holds no saved seeds (no seed files under ${path.join(dir, 'seeds')})`);
    if (fs.existsSync(path.join(dir, SUMMARY_FILE))) {
      let summary: ReturnType<typeof readSummary>;
      try {
        summary = readSummary(dir);
      } catch (err) {
        throw new UsageError(`merge: ${(err as Error).message}`);
      }
      for (const [id, n] of Object.entries(summary.seedCounts ?? {})) {
        if (Number.isSafeInteger(n)) expected.set(id, Math.max(expected.get(id) ?? 0, n));
      }
      // Shards of a config sweep record it: its variants are the experiments to merge. It is checked as a sweep file is.
      if (summary.sweep !== undefined) {
        try {
          summary.sweep = parseSweep(summary.sweep, `merge: ${path.join(dir, SUMMARY_FILE)}: sweep`);
        } catch (err) {
          if (err instanceof ConfigError) throw new UsageError(err.message);
          throw err;
        }
      }
      if (summary.sweep && sweep && !isDeepStrictEqual(summary.sweep, sweep)) {
        throw new UsageError(`merge: ${dir} holds another sweep than the folders before it (${JSON.stringify(summary.sweep)})`);
      }
      sweep ??= summary.sweep;
    }
    for (const rec of recs) {
      const k = `${rec.scale}/${rec.experiment}/${rec.seed}`;
      const prev = byUnit.get(k);
      if (prev && !isDeepStrictEqual(prev.rec.result, rec.result)) {
        throw new UsageError(
          `merge: ${rec.experiment} seed ${rec.seed} differs between ${prev.from} and ${dir} (were they run by different code?)`,
        );
      }
      if (!prev) byUnit.set(k, { rec, from: dir });
    }
  }
  let all: Experiment[];
  try {
    all = withSweep(registered, sweep);
  } catch (err) {
    throw new UsageError(`merge: ${(err as Error).message}`);
  }
  const recs = [...byUnit.values()].map((v) => v.rec);
  const scales = [...new Set(recs.map((r) => r.scale))];
  if (scales.length > 1)
    throw new UsageError(`merge: the folders hold seeds of different scales (${scales.join(', ')}); merge one scale at a time`);
  const scale = scales[0] as Scale;
  const fingerprints: Record<string, string> = {};
  for (const id of new Set(recs.map((r) => r.experiment))) {
    const prints = [...new Set(recs.filter((r) => r.experiment === id).map((r) => r.fingerprint))];
    if (prints.length > 1) {
      const where = prints.map(
        (p) =>
          `${p} in ${[...new Set([...byUnit.values()].filter((v) => v.rec.experiment === id && v.rec.fingerprint === p).map((v) => v.from))].join(', ')}`,
      );
      throw new UsageError(
        `merge: the seeds of ${id} were computed by different versions of its code (${where.join('; ')}); rerun the odd shard from the same checkout`,
      );
    }
    fingerprints[id] = prints[0];
  }
  const unknown = [...new Set(recs.map((r) => r.experiment))].filter((id) => !all.some((e) => e.id === id));
  if (unknown.length)
    throw new UsageError(`merge: seeds of unknown experiment(s) ${unknown.map(showKey).join(', ')} (not in the registry)`);
  // Every unit the shards were asked for must be there: a report over some of the seeds would read like a full one.
  const missing: string[] = [];
  // Every config of a recorded sweep, too: a config with no seed at all would be an empty column of the table.
  const ran = new Set(recs.map((r) => r.experiment));
  const unrun = sweep ? expandSweep(sweep).filter((v) => !ran.has(v.id) && !expected.has(v.id)) : [];
  for (const v of unrun) missing.push(`${v.id} (sweep config '${v.label}': no seeds)`);
  for (const id of new Set([...expected.keys(), ...recs.map((r) => r.experiment)])) {
    const have = new Set(recs.filter((r) => r.experiment === id).map((r) => r.seed));
    const n = Math.max(expected.get(id) ?? 0, ...[...have].map((s) => s + 1));
    const lack = Array.from({ length: n }, (_, i) => i).filter((i) => !have.has(i));
    if (lack.length) missing.push(`${id} seed${lack.length > 1 ? 's' : ''} ${lack.join(', ')}`);
  }
  if (missing.length) {
    throw new UsageError(
      `merge: units missing from ${opts.inputs.join(' ')}: ${missing.join('; ')}. ` +
        'Run the shards that lack them again (same command, same --out), then merge; no report written.',
    );
  }
  // Seeds computed under different configs never mix; the report sees the config they share.
  const configOf = new Map<string, ReturnType<typeof checkedConfig>>();
  for (const e of all.filter((x) => recs.some((r) => r.experiment === x.id))) {
    const mine = recs.filter((r) => r.experiment === e.id);
    const configs = mine.map((r) => r.config).filter((c, i, all) => all.findIndex((d) => isDeepStrictEqual(c, d)) === i);
    if (configs.length > 1 || configs[0] === undefined) {
      throw new UsageError(
        configs.length > 1
          ? `merge: the seeds of ${e.id} were computed with different configs (${configs.map((c) => JSON.stringify(c)).join(' vs ')})`
          : `merge: the seeds of ${e.id} do not record their config (saved by an older version); rerun them`,
      );
    }
    configOf.set(e.id, checkedConfig(e, scale, configs[0]));
  }
  const folder = openResultsFolder(opts.out);
  try {
    return await mergeInto(folder.dir, scale, recs, all, configOf, expected, fingerprints, opts.inputs.length, sweep);
  } finally {
    folder.release();
  }
}

async function mergeInto(
  dir: string,
  scale: Scale,
  recs: SeedRecord[],
  all: Experiment[],
  configOf: Map<string, ReturnType<typeof checkedConfig>>,
  expected: Map<string, number>,
  fingerprints: Record<string, string>,
  folders: number,
  sweep: SweepSpec | undefined,
): Promise<number> {
  for (const r of recs) saveSeed(dir, r);
  const exps = all.filter((e) => recs.some((r) => r.experiment === e.id));
  const experiments = [];
  for (const e of exps) {
    const mine = recs.filter((r) => r.experiment === e.id);
    const config = configOf.get(e.id)!;
    const n = Math.max(expected.get(e.id) ?? 0, ...mine.map((r) => r.seed + 1));
    const s = await reportExperiment(
      dir,
      e,
      scale,
      config,
      mine,
      Array.from({ length: n }, (_, i) => i),
    );
    experiments.push(s);
  }
  note(`mnm merge: ${recs.length} seeds of ${exps.length} experiment(s) from ${folders} folder(s)`);
  const seedCounts = Object.fromEntries(experiments.map((s) => [s.id, s.seeds.length + s.missingSeeds.length]));
  return finishReport(dir, { kind: 'report', scale, fingerprints, seedCounts, experiments, ...(sweep && { sweep }) });
}
