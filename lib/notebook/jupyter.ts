/**
 * Executes notebooks headless through real Jupyter (nbconvert + the tslab kernel) and reports every
 * error output: a cell that throws, and anything a cell wrote to stderr (tslab reports TypeScript
 * compile errors there without failing the cell).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Scale } from '../experiment';
import { ensureNotebookPackage } from './package';

export interface NotebookRun {
  notebook: string;
  ok: boolean;
  seconds: number;
  /** One line per problem: `cell N: ...`. */
  errors: string[];
  /** The executed copy, with outputs. */
  output: string;
}

export interface ExecuteOptions {
  outDir: string;
  scale?: Scale;
  timeoutSeconds?: number;
}

const ROOT = path.resolve(__dirname, '..', '..');

/** The environment a kernel needs: `tslab` on PATH, the scale, and a quiet debugger. */
export function kernelEnv(scale?: Scale): NodeJS.ProcessEnv {
  const bin = path.join(ROOT, 'node_modules', '.bin');
  return {
    ...process.env,
    PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`,
    PYDEVD_DISABLE_FILE_VALIDATION: '1',
    ...(scale ? { MNM_SCALE: scale } : {}),
  };
}

function jupyterCommand(): string {
  if (process.env.MNM_JUPYTER) return process.env.MNM_JUPYTER;
  return fs.existsSync('/usr/bin/jupyter') ? '/usr/bin/jupyter' : 'jupyter';
}

interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}
interface NbCell {
  cell_type: string;
  outputs?: NbOutput[];
}

/** Error outputs of an executed notebook, one line each. */
export function notebookErrors(executed: { cells: NbCell[] }): string[] {
  const errors: string[] = [];
  executed.cells.forEach((cell, i) => {
    for (const out of cell.outputs ?? []) {
      if (out.output_type === 'error') errors.push(`cell ${i + 1}: ${out.ename ?? 'Error'}: ${out.evalue ?? ''}`.trim());
      if (out.output_type === 'stream' && out.name === 'stderr') {
        const text = Array.isArray(out.text) ? out.text.join('') : (out.text ?? '');
        errors.push(`cell ${i + 1}: stderr: ${text.trim().slice(0, 500)}`);
      }
    }
  });
  return errors;
}

export function executeNotebook(notebook: string, opts: ExecuteOptions): NotebookRun {
  const abs = path.resolve(notebook);
  if (!fs.existsSync(abs)) throw new Error(`notebook not found: ${notebook}`);
  ensureNotebookPackage();
  fs.mkdirSync(opts.outDir, { recursive: true });
  const name = path.basename(abs, '.ipynb');
  const output = path.join(path.resolve(opts.outDir), `${name}.ipynb`);
  const timeout = opts.timeoutSeconds ?? 900;
  const t0 = performance.now();
  // --allow-errors: run every cell so that all problems are reported at once; we judge the outputs.
  const res = spawnSync(
    jupyterCommand(),
    [
      'nbconvert',
      '--to',
      'notebook',
      '--execute',
      '--allow-errors',
      `--ExecutePreprocessor.timeout=${timeout}`,
      // tslab compiles at start-up: nbclient's 60 s wait for the kernel is too short on a loaded machine.
      '--ExecutePreprocessor.startup_timeout=300',
      '--ExecutePreprocessor.kernel_name=tslab',
      '--output-dir',
      path.dirname(output),
      '--output',
      `${name}.ipynb`,
      abs,
    ],
    { cwd: path.dirname(abs), env: kernelEnv(opts.scale), encoding: 'utf8', timeout: (timeout + 420) * 1000 },
  );
  const seconds = (performance.now() - t0) / 1000;
  const errors: string[] = [];
  if (res.error) errors.push(`could not run jupyter: ${res.error.message} (run: npm run setup -- --jupyter)`);
  else if (res.status !== 0) {
    const tail = (res.stderr ?? '').trim().split('\n').slice(-3).join(' | ');
    errors.push(`nbconvert exited with ${res.status}: ${tail}`);
  }
  if (fs.existsSync(output) && errors.length === 0) {
    errors.push(...notebookErrors(JSON.parse(fs.readFileSync(output, 'utf8'))));
  }
  return { notebook, ok: errors.length === 0, seconds, errors, output };
}

/** The notebooks of the project, in order. */
export function listNotebooks(dir = path.join(ROOT, 'notebooks')): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.ipynb'))
    .sort()
    .map((f) => path.join(dir, f));
}
