/**
 * The notebooks linted as TypeScript: each notebook's code cells, in order, become one module (a notebook's
 * cells share their declarations, as in the kernel), which is type-checked with the project's compiler options
 * and linted with its ESLint config (eslint.config.mjs has a block for notebook cells, `*.ipynb.ts`). Problems are reported by
 * notebook, cell (counted over all cells, as Jupyter and the notebook harness count them) and line in the cell.
 *   npx tsx scripts/lint-notebooks.ts [NOTEBOOK...]     (default: every notebooks/*.ipynb; `npm run lint` runs it)
 * Exit 0 when every notebook is clean, 1 otherwise.
 */
import * as path from 'node:path';
import { ESLint } from 'eslint';
// The compiler tslab runs the cells with, which is also the `tsc` that `npm run typecheck` finds (node_modules/.bin).
import ts from '@tslab/typescript-for-tslab';
import { joinLines, readNotebook } from '../lib/notebook/format';
import { listNotebooks } from '../lib/notebook/jupyter';
import { ensureNotebookPackage } from '../lib/notebook/package';

const ROOT = path.join(__dirname, '..');

export interface NotebookProblem {
  notebook: string;
  /** 1-based over all cells; 0 when the problem is in no cell (the module's own scaffolding). */
  cell: number;
  /** 1-based within the cell. */
  line: number;
  /** `TS2352` or the ESLint rule's id. */
  code: string;
  message: string;
}

/** A notebook as one module: its code cells in order, and where each begins (0-based line in the module). */
interface NotebookModule {
  notebook: string;
  /** Where the module is said to live (beside the notebook), so that packages resolve as for the notebooks. */
  file: string;
  text: string;
  cells: { cell: number; firstLine: number }[];
}

export function notebookModule(notebook: string): NotebookModule {
  const nb = readNotebook(notebook);
  const cells: NotebookModule['cells'] = [];
  const lines: string[] = [];
  nb.cells.forEach((c, i) => {
    if (c.cell_type !== 'code') return;
    cells.push({ cell: i + 1, firstLine: lines.length });
    lines.push(...joinLines(c.source).replace(/\n$/, '').split('\n'));
  });
  // A module even when no cell imports anything, so that notebooks checked together do not share declarations.
  lines.push('export {};');
  const file = `${notebook}.ts`;
  return { notebook, file, text: lines.join('\n') + '\n', cells };
}

/** The cell and line in it of a 0-based line of the module. */
function where(mod: NotebookModule, line: number): { cell: number; line: number } {
  const c = mod.cells.filter((x) => x.firstLine <= line).pop();
  return c ? { cell: c.cell, line: line - c.firstLine + 1 } : { cell: 0, line: line + 1 };
}

/** The project's compiler options, with modules as the kernel has them: top-level `await` in a cell. */
function compilerOptions(): ts.CompilerOptions {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const { config } = ts.readConfigFile(configFile, (f) => ts.sys.readFile(f));
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, ROOT, undefined, configFile);
  return { ...options, module: ts.ModuleKind.ES2022, noEmit: true };
}

function typeCheck(mods: NotebookModule[]): NotebookProblem[] {
  const byFile = new Map(mods.map((m) => [path.resolve(m.file), m]));
  const options = compilerOptions();
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  host.getSourceFile = (f, lang, ...rest) => {
    const m = byFile.get(path.resolve(f));
    return m ? ts.createSourceFile(f, m.text, lang, true) : getSourceFile.call(host, f, lang, ...rest);
  };
  host.fileExists = (f) => byFile.has(path.resolve(f)) || fileExists.call(host, f);
  host.readFile = (f) => byFile.get(path.resolve(f))?.text ?? readFile.call(host, f);
  const program = ts.createProgram([...byFile.keys()], options, host);
  const problems: NotebookProblem[] = [];
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const m = d.file && byFile.get(path.resolve(d.file.fileName));
    const message = ts.flattenDiagnosticMessageText(d.messageText, ' ');
    if (!m || d.start === undefined) {
      // Not in a notebook (a library file, an option): the project's own type check reports it too.
      problems.push({ notebook: d.file?.fileName ?? '(compiler options)', cell: 0, line: 0, code: `TS${d.code}`, message });
      continue;
    }
    const { line } = ts.getLineAndCharacterOfPosition(d.file!, d.start);
    problems.push({ notebook: m.notebook, ...where(m, line), code: `TS${d.code}`, message });
  }
  return problems;
}

async function eslint(mods: NotebookModule[]): Promise<NotebookProblem[]> {
  const linter = new ESLint({ cwd: ROOT });
  const problems: NotebookProblem[] = [];
  for (const m of mods) {
    for (const r of await linter.lintText(m.text, { filePath: m.file })) {
      for (const msg of r.messages) {
        problems.push({ notebook: m.notebook, ...where(m, msg.line - 1), code: msg.ruleId ?? 'eslint', message: msg.message });
      }
    }
  }
  return problems;
}

/** Every problem of the given notebooks: the type check's, then ESLint's. */
export async function lintNotebooks(notebooks: string[]): Promise<NotebookProblem[]> {
  ensureNotebookPackage(); // the notebooks import the library as `mnm-workbench/lib/...`
  const mods = notebooks.map(notebookModule);
  return [...typeCheck(mods), ...(await eslint(mods))];
}

export function formatProblem(p: NotebookProblem): string {
  const at = p.cell ? `${path.relative(ROOT, p.notebook)} cell ${p.cell} line ${p.line}` : path.relative(ROOT, p.notebook);
  return `${at}: ${p.message} (${p.code})`;
}

if (require.main === module) {
  const given = process.argv.slice(2).map((f) => path.resolve(f));
  const notebooks = given.length ? given : listNotebooks();
  lintNotebooks(notebooks).then(
    (problems) => {
      for (const p of problems) console.error(formatProblem(p));
      console.error(`[lint-notebooks] ${notebooks.length} notebook(s): ${problems.length ? `${problems.length} problem(s)` : 'clean'}`);
      process.exitCode = problems.length ? 1 : 0;
    },
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
