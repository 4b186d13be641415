/**
 * One experiment's files in a results folder, `DIR/<experiment>/`: each table as Parquet, each figure as
 * SVG, PNG and its Vega-Lite spec (`.vl.json`, what the HTML report embeds). Every file is written to a
 * temporary name and renamed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Report } from '../experiment';
import { WriteError, writeFileAtomic, writeJsonAtomic } from '../io';
import { writeFigure } from '../plot/render';

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/** Where the files of an experiment's committed reference go, as an experiment folder name: `<id>/reference`. */
export function referenceFolder(experiment: string): string {
  return path.join(experiment, 'reference');
}

export function figureSpecFile(dir: string, experiment: string, figure: string): string {
  return path.join(dir, experiment, `${figure}.vl.json`);
}

/**
 * Refuses a folder under `dir` that is a symbolic link (`<id>/`, `<id>/reference/`): the report's files would be
 * written through it into the folder it points at, outside the results folder. (A link in place of a file, such as
 * index.html, is replaced by the atomic rename, never followed.)
 */
export function refuseLinkedFolders(dir: string, sub: string): void {
  let at = dir;
  for (const part of sub.split(path.sep)) {
    at = path.join(at, part);
    if (fs.lstatSync(at, { throwIfNoEntry: false })?.isSymbolicLink())
      throw new WriteError(
        at,
        `${at} is a symbolic link to ${fs.readlinkSync(at)}; the results would be written outside the folder (remove the link)`,
      );
  }
}

export async function writeExperimentFiles(dir: string, experiment: string, rep: Report): Promise<{ tables: string[]; figures: string[] }> {
  const expDir = path.join(dir, experiment);
  refuseLinkedFolders(dir, experiment);
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
