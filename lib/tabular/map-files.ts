/**
 * Map files on disk (Node only): where the project's maps are and reading one. Parsing is pure and lives in
 * gridworld.ts, so the browser playground can bundle the gridworld without Node modules.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { type GridMap, parseGridMap } from './gridworld';

/**
 * Absolute path of a map in the project's data/ folder. Found from this file's real location (also when
 * loaded from a notebook), walking up to the folder that has data/<name>.
 */
export function dataMap(name: string): string {
  let dir = fs.realpathSync(__dirname);
  for (;;) {
    const candidate = path.join(dir, 'data', name);
    if (fs.existsSync(candidate)) return candidate;
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`data map '${name}' not found in a data/ folder above ${__dirname}`);
    dir = up;
  }
}

/** Reads and parses a map file; errors name `file:line:col` (or that the file cannot be read). */
export function loadGridMap(file: string): GridMap {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot read the map (${(err as Error).message})`);
  }
  return parseGridMap(text, file);
}
