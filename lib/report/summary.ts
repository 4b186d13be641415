/**
 * What a results folder holds, as recorded in its `run.json`: the run's scale, each experiment's code fingerprint, and
 * per experiment its description, seeds, tables, figures and claims (or the error that stopped it).
 * The HTML report and `mnm merge` read this file; nothing else about the folder is implied.
 */
import * as path from 'node:path';
import type { Claim, Experiment, Scale } from '../experiment';
import { readJson, writeJsonAtomic } from '../io';
import type { SweepSpec } from '../sweep';

export interface ExperimentSummary {
  id: string;
  title: string;
  paper: string;
  reproduces: string;
  notebook: string;
  /** The seeds whose results the report was computed from. */
  seeds: number[];
  /** Seeds asked for but absent (a merge of incomplete shards). */
  missingSeeds: number[];
  tables: string[];
  figures: string[];
  claims: Claim[];
  error?: string;
  /** The committed reference of this experiment (lib/report/reference.ts), reported next to this run's results. */
  reference?: { label: string; scale: Scale; seeds: number[]; tables: string[]; figures: string[]; claims: Claim[] };
}

export interface RunSummary {
  /** `report`: a full results folder; `shard`: saved seeds only, to be combined by `mnm merge`. */
  kind: 'report' | 'shard';
  scale: Scale;
  /** Per experiment, a hash of the code that computed its seeds (see lib/seed-store). */
  fingerprints: Record<string, string>;
  shard?: string;
  /** Seeds per experiment that this run (or all shards together) covers. */
  seedCounts: Record<string, number>;
  experiments: ExperimentSummary[];
  /** A config sweep (lib/sweep.ts): the experiments above are its variants, one per config. */
  sweep?: SweepSpec;
}

export function describe(exp: Experiment): Pick<ExperimentSummary, 'id' | 'title' | 'paper' | 'reproduces' | 'notebook'> {
  return { id: exp.id, title: exp.title, paper: exp.paper, reproduces: exp.reproduces, notebook: exp.notebook };
}

export const SUMMARY_FILE = 'run.json';

export function writeSummary(dir: string, s: RunSummary): void {
  writeJsonAtomic(path.join(dir, SUMMARY_FILE), s);
}

export function readSummary(dir: string): RunSummary {
  const s = readJson<RunSummary>(path.join(dir, SUMMARY_FILE));
  if (!s || (s.kind !== 'report' && s.kind !== 'shard') || !Array.isArray(s.experiments)) {
    throw new Error(`${path.join(dir, SUMMARY_FILE)}: not a results summary written by mnm`);
  }
  return s;
}
