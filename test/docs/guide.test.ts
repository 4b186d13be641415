/**
 * docs/ARCHITECTURE.md's "Add an experiment", executed as written: every code block marked `file=PATH` is written
 * into a copy of lib/ (the experiment folder, its figure, its test, its notebook cell; its EXPERIMENTS.md line is checked),
 * dice is added to the registry as the guide says, and what the guide promises is checked.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import ts from 'typescript';
import { mnmHere, ROOT, tmpDir } from '../cli/helpers';

const GUIDE = path.join(ROOT, 'docs', 'ARCHITECTURE.md');
const base = tmpDir('guide');
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** The guide's section and its `file=` blocks, path → code (the list indentation removed). */
function guideBlocks(): { section: string; files: Map<string, string> } {
  const doc = fs.readFileSync(GUIDE, 'utf8');
  const start = doc.indexOf('## Add an experiment');
  assert.ok(start >= 0, 'the guide has its section');
  const end = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, end < 0 ? undefined : end);
  const files = new Map<string, string>();
  for (const m of section.matchAll(/^( *)```\w+ file=(\S+)\n([\s\S]*?)^\1```$/gm)) {
    const indent = m[1].length;
    files.set(m[2], m[3].replace(new RegExp(`^ {0,${indent}}`, 'gm'), ''));
  }
  return { section, files };
}

const { section, files } = guideBlocks();
const tree = path.join(base, 'tree');
const lib = path.join(tree, 'lib');

/** The notebook cell as a module of the copy: `mnm-workbench/lib/` is the copy's lib/, its top-level awaits in a function. */
function cellModule(code: string): string {
  const lines = code.replaceAll("'mnm-workbench/lib/", `'${lib}/`).split('\n');
  const imports = lines.filter((l) => l.startsWith('import '));
  const body = lines.filter((l) => !l.startsWith('import '));
  return `${imports.join('\n')}\nexport async function cell(): Promise<void> {\n${body.join('\n')}\n}\n`;
}

/** The copy of the project with the guide's files written in and dice registered. */
function buildTree(): void {
  fs.cpSync(path.join(ROOT, 'lib'), lib, { recursive: true });
  fs.cpSync(path.join(ROOT, 'data'), path.join(tree, 'data'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  for (const [file, code] of files) {
    if (file === 'notebook-cell.ts' || file === 'docs/EXPERIMENTS.md') continue;
    fs.mkdirSync(path.dirname(path.join(tree, file)), { recursive: true });
    fs.writeFileSync(path.join(tree, file), code);
  }
  // "then add `dice` to `EXPERIMENTS` in lib/experiments/index.ts (`import { dice } from './dice';`)"
  const importLine = /`(import \{ dice \} from '\.\/dice';)`/.exec(section)?.[1];
  assert.ok(importLine, 'the guide names the import to add');
  const registry = path.join(lib, 'experiments', 'index.ts');
  const src = fs.readFileSync(registry, 'utf8');
  const withDice = src.replace(/^(export const EXPERIMENTS: Experiment\[\] = \[[\s\S]*?)\n\];/m, '$1\n  dice,\n];');
  assert.notEqual(withDice, src, 'dice is added to EXPERIMENTS');
  fs.writeFileSync(registry, `${importLine}\n${withDice}`);
  // The notebook cell, and the same cell asking for a figure dice does not draw.
  const cell = files.get('notebook-cell.ts')!;
  fs.writeFileSync(path.join(tree, 'notebook-cell.ts'), cellModule(cell));
  fs.writeFileSync(path.join(tree, 'notebook-typo.ts'), cellModule(cell.replace('rep.figures.faces', 'rep.figures.face')));
}

test('the guide holds the files it walks through', () => {
  assert.deepEqual([...files.keys()].sort(), [
    'docs/EXPERIMENTS.md',
    'lib/experiments/dice/index.ts',
    'lib/experiments/dice/report.ts',
    'lib/experiments/dice/run.ts',
    'lib/plot/dice.ts',
    'notebook-cell.ts',
    'test/experiments/dice.test.ts',
  ]);
  buildTree();
});

test('mnm run dice at smoke scale: its claim holds, its figure and table are written; a bad config is the line the guide prints', async () => {
  const registry = path.join(lib, 'experiments', 'index.ts');
  const out = path.join(base, 'out');
  const ran = await mnmHere(['run', 'dice', '--registry', registry, '--scale', 'smoke', '--out', out, '--workers', '0']);
  assert.equal(ran.status, 0, ran.stderr);
  const claims: { id: string; verdict: string }[] = JSON.parse(fs.readFileSync(path.join(out, 'claims.json'), 'utf8'));
  assert.deepEqual(
    claims.map((c) => [c.id, c.verdict]),
    [['DICE.fair-mean', 'holds']],
  );
  for (const f of ['rolls.parquet', 'faces.svg']) assert.ok(fs.existsSync(path.join(out, 'dice', f)), `dice/${f} is written`);

  const promised = /`(dice: config\.sides must be [^`]+)`/.exec(section)?.[1];
  assert.ok(promised, 'the guide prints the error');
  const cfg = path.join(base, 'bad.json');
  fs.writeFileSync(cfg, JSON.stringify({ config: { dice: { sides: 1 } } }));
  const bad = await mnmHere(['run', 'dice', '--registry', registry, '--scale', 'smoke', '--out', path.join(base, 'bad'), '--config', cfg]);
  assert.notEqual(bad.status, 0);
  assert.ok(bad.stderr.includes(promised), `stderr names the bad parameter as the guide says:\n${bad.stderr}`);
  assert.ok(!fs.existsSync(path.join(base, 'bad', 'seeds')), 'it stops before any work');
});

test('the type check passes on every file of the guide, and a notebook asking for a figure dice does not draw fails it', () => {
  const cell = path.join(tree, 'notebook-cell.ts');
  const typo = path.join(tree, 'notebook-typo.ts');
  const config = ts.getParsedCommandLineOfConfigFile(
    path.join(ROOT, 'tsconfig.json'),
    {},
    { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => {} },
  );
  assert.ok(config);
  const roots = [...files.keys()].filter((f) => f.endsWith('.ts') && f !== 'notebook-cell.ts').map((f) => path.join(tree, f));
  const problems = (rootNames: string[]) =>
    ts
      .getPreEmitDiagnostics(ts.createProgram({ rootNames, options: config.options }))
      .map((d) => `${d.file ? path.relative(tree, d.file.fileName) : ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  assert.deepEqual(problems([...roots, cell]), []);
  const typoProblems = problems([typo]);
  assert.equal(typoProblems.length, 1, typoProblems.join('\n'));
  assert.match(typoProblems[0], /notebook-typo\.ts: Property 'face' does not exist/);
});

test("the notebook section runs, showing dice's figure and claim; the guide's test passes", async () => {
  const logged: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void logged.push(args.join(' '));
  try {
    const { cell } = require(path.join(tree, 'notebook-cell.ts')) as { cell: () => Promise<void> };
    await cell();
  } finally {
    console.log = log;
  }
  const out = logged.join('\n');
  // Outside a notebook show() renders the SVG, then prints the chart's text form; showTable and showMarkdown print theirs.
  assert.match(out, /^<Vega-Lite chart>$/m, 'show() drew the figure');
  assert.match(out, /shape: \(5, 3\)/, 'showTable printed 5 rolls');
  assert.match(out, /^\| holds \| The mean roll is within 0\.5 of 3\.5 \|.*`DICE\.fair-mean` \|$/m, 'the claims table');

  // A test run of its own (without this runner's NODE_TEST_CONTEXT, which would make it report to this one).
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k !== 'NODE_TEST_CONTEXT'));
  const t = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', '--test-reporter=tap', path.join(tree, 'test', 'experiments', 'dice.test.ts')],
    { cwd: tree, encoding: 'utf8', env },
  );
  assert.equal(t.status, 0, t.stdout + t.stderr);
  assert.match(t.stdout, /# pass 1/);
});

test('the EXPERIMENTS.md line is a row of its table of experiments', () => {
  const row = files.get('docs/EXPERIMENTS.md')!.trim();
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'EXPERIMENTS.md'), 'utf8').split('\n');
  const header = doc.find((l) => l.startsWith('| # |'));
  assert.ok(header, 'EXPERIMENTS.md has its table');
  const cells = (l: string) => l.split('|').length;
  assert.equal(cells(row), cells(header), 'as many columns as the table');
  const rows = doc.filter((l) => /^\| E\d+ \|/.test(l));
  const next = Math.max(...rows.map((l) => Number(/^\| E(\d+)/.exec(l)![1]))) + 1;
  assert.ok(row.startsWith(`| E${next} |`), `numbered after the last experiment (E${next})`);
});
