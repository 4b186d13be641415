/**
 * One experiment's files in a results folder, `DIR/<experiment>/`: each table as Parquet, each figure as
 * SVG, PNG and its Vega-Lite spec (`.vl.json`, what the HTML report embeds). Every file is written to a
 * temporary name and renamed.
 */
import * as path from 'node:path';
import type { Report } from '../experiment';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { writeFigure } from '../plot/render';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where the files of an experiment's committed reference go, as an experiment folder name: `<id>/reference`. */
export function referenceFolder(experiment: string): string {
  return path.join(experiment, 'reference');
}

export function figureSpecFile(dir: string, experiment: string, figure: string): string {
  return path.join(dir, experiment, `${figure}.vl.json`);
}

export async function writeExperimentFiles(dir: string, experiment: string, rep: Report): Promise<{ tables: string[]; figures: string[] }> {
  const expDir = path.join(dir, experiment);
  for (const name of [...Object.keys(rep.tables), ...Object.keys(rep.figures)]) {
    if (!SAFE_NAME.test(name))
      throw new Error(`${experiment}: table or figure name '${name}' cannot be a file name (letters, digits, '.', '_', '-')`);
  }
  for (const [name, df] of Object.entries(rep.tables)) writeFileAtomic(path.join(expDir, `${name}.parquet`), df.writeParquet());
  for (const [name, spec] of Object.entries(rep.figures)) {
    await writeFigure(spec, path.join(expDir, name));
    writeJsonAtomic(figureSpecFile(dir, experiment, name), spec);
  }
  return { tables: Object.keys(rep.tables), figures: Object.keys(rep.figures) };
}
