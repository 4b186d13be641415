/**
 * The one code fingerprint: a hash of a module, every project module it imports (directly or not), and
 * every data file this code names (by its file name, in the nearest data/ folder above the code, where
 * dataMap() finds it: an experiment names its maps literally, as a constant such as E1_MAP, not built from parts). It keys what is reused across runs (the
 * saved seeds of `mnm run`, the deep-run disk cache), so that editing the code or a map an experiment
 * reads recomputes exactly what depends on it.
 *
 * Code that runs without being imported counts too: a module that loads a compiled WebAssembly module names the
 * sources it is compiled from with a comment `@compiled-from ./path/index.ts`, followed like an import (so a changed
 * kernel changes the fingerprint of every module that runs it).
 *
 * Imports are read from the source text, not from require's module graph: the answer is then the same in
 * the main thread, a worker thread or a notebook kernel, and before or after lazy imports have run.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface Fingerprint {
  /** 16 hex digits. */
  hash: string;
  /** The source files hashed (absolute, real paths), sorted. */
  files: string[];
  /** The data files hashed (absolute), sorted. */
  data: string[];
}

/** The project root: the folder above lib/ (a real path, so notebooks reaching lib/ through a symlink agree). */
export const PROJECT_ROOT = path.resolve(fs.realpathSync(__dirname), '..');

// `import … from './x'`, `export … from './x'`, `import './x'`, `import('./x')`, `require('./x')`: relative specifiers only.
const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)['"](\.{1,2}\/[^'"]*|\.{1,2})['"]/g;
const COMPILED_FROM = /@compiled-from\s+(\.{1,2}\/[^\s'"]+)/g;
const EXTENSIONS = ['', '.ts', '.tsx', '.js', '.json', '/index.ts', '/index.js'];

function resolveImport(from: string, spec: string): string | null {
  const base = path.resolve(path.dirname(from), spec);
  for (const ext of EXTENSIONS) {
    const f = base + ext;
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return fs.realpathSync(f);
  }
  return null;
}

/** The file and every project file it imports, following imports transitively; `skip` prunes a file and what only it imports. */
export function sourceClosure(entry: string, skip: (file: string) => boolean = () => false): string[] {
  const seen = new Set<string>();
  const stack = [fs.realpathSync(entry)];
  while (stack.length) {
    const f = stack.pop()!;
    if (seen.has(f) || skip(f)) continue;
    seen.add(f);
    stack.push(...projectImports(f));
  }
  return [...seen].sort();
}

/** The project files a source file imports directly (real paths), `import type` included; none for a data file. */
export function projectImports(file: string): string[] {
  if (!/\.[cm]?[jt]sx?$/.test(file)) return [];
  const out: string[] = [];
  const text = fs.readFileSync(file, 'utf8');
  for (const m of [...text.matchAll(IMPORT), ...text.matchAll(COMPILED_FROM)]) {
    const dep = resolveImport(file, m[1]);
    if (dep && !dep.split(path.sep).includes('node_modules')) out.push(dep);
  }
  return out;
}

/** The nearest folder named data/ above a file: where dataMap() looks for the maps that file names. */
function nearestDataDir(file: string): string | null {
  for (let d = path.dirname(file); ; d = path.dirname(d)) {
    const candidate = path.join(d, 'data');
    if (fs.existsSync(candidate) && fs.statSync(candidate).isDirectory()) return candidate;
    if (path.dirname(d) === d) return null;
  }
}

/** Files of the data folders (the nearest data/ above each source) whose name appears in one of the sources. */
export function dataFilesNamedIn(files: string[]): string[] {
  const sources = files.map((f) => fs.readFileSync(f, 'utf8'));
  const found = new Set<string>();
  for (const dir of new Set(files.map(nearestDataDir))) {
    if (!dir) continue;
    for (const n of fs.readdirSync(dir)) {
      if (fs.statSync(path.join(dir, n)).isFile() && sources.some((s) => s.includes(n))) found.add(path.join(dir, n));
    }
  }
  return [...found].sort();
}

/** The fingerprint of a module: its source closure (minus `skip`) and the data files that code names. */
export function fingerprint(entry: string, skip?: (file: string) => boolean): Fingerprint {
  const files = sourceClosure(entry, skip);
  const data = dataFilesNamedIn(files);
  const h = createHash('sha256');
  // Paths relative to the project root, so that two checkouts of the same code agree.
  for (const f of [...files, ...data]) h.update(path.relative(PROJECT_ROOT, f)).update('\0').update(fs.readFileSync(f)).update('\0');
  return { hash: h.digest('hex').slice(0, 16), files, data };
}
