/**
 * A run's results folder, completed: the report's files (lib/report/results-folder.ts), then the playground page
 * that `index.html` links to (lib/playground/build.ts). The playground is written after the report, as before, so
 * it finds `index.html` and the exported notebooks and links to them.
 */
import { writePlayground } from '../playground/build';
import type { RunSummary } from '../report/summary';
import { writeResultsFolder } from '../report/results-folder';

export function writeRunFolder(dir: string, s: RunSummary): ReturnType<typeof writeResultsFolder> {
  const files = writeResultsFolder(dir, s);
  writePlayground(dir);
  return files;
}
