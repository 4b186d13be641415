// The import graph of lib/ against the layers of docs/ARCHITECTURE.md: every file is in a layer the doc names, and
// no import runs up a layer. Type-only imports count too (a type is as much a dependency for a reader as a value);
// this reader tells them apart because the figures may import the contract's types only. Cycles, type-only ones
// included, are scripts/import-cycles.ts's (test/import-cycles.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = path.join(__dirname, '..');
const LIB = path.join(ROOT, 'lib');
const rel = (f: string) => path.relative(ROOT, f).split(path.sep).join('/');

/** The layers, bottom to top, as the doc's table names them, and what each may import besides itself. */
const LAYERS = ['foundations', 'the contract', 'algorithms', 'figures', 'experiments', 'front doors'] as const;
type Layer = (typeof LAYERS)[number];
const MAY_IMPORT: Record<Layer, { values: Layer[]; types: Layer[] }> = {
  foundations: { values: [], types: [] },
  'the contract': { values: ['foundations'], types: [] },
  algorithms: { values: ['foundations'], types: [] },
  figures: { values: ['foundations'], types: ['the contract'] },
  experiments: { values: ['foundations', 'the contract', 'algorithms', 'figures'], types: [] },
  'front doors': { values: ['foundations', 'the contract', 'algorithms', 'figures', 'experiments'], types: [] },
};
/** Among the front doors (as the doc says under its table): each may import the groups listed before its own. */
const FRONT_DOORS = [['lib/notebook/'], ['lib/report/'], ['lib/playground/', 'lib/bench/'], ['lib/cli/']];

/** The doc's layer table: each layer and the files and folders of lib/ it lists. */
function docLayers(): Map<Layer, string[]> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'ARCHITECTURE.md'), 'utf8');
  const section = doc.split(/^## /m).find((s) => s.startsWith('Layers'));
  assert.ok(section, 'docs/ARCHITECTURE.md has no "## Layers" section');
  const rows = section
    .split('\n')
    .filter((l) => l.startsWith('|'))
    .slice(2) // the header and its rule
    .map((l) => l.split('|').map((c) => c.trim()));
  const names = rows.map((r) => r[1]);
  assert.deepEqual(names, [...LAYERS], 'the layers of docs/ARCHITECTURE.md are not the ones this test checks');
  return new Map(rows.map((r) => [r[1] as Layer, [...r[2].matchAll(/`([^`]+)`/g)].map((m) => m[1]).filter((p) => p.startsWith('lib/'))]));
}

function layerOf(layers: Map<Layer, string[]>, file: string): Layer | undefined {
  for (const [layer, entries] of layers) if (entries.some((e) => (e.endsWith('/') ? file.startsWith(e) : file === e))) return layer;
  return undefined;
}

function sourceFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

interface Arrow {
  from: string;
  to: string;
  typeOnly: boolean;
}

/** Every import of a project file by `file`: import and export declarations, require(), import(), import('…').T. */
function importsOf(file: string): Arrow[] {
  const src = ts.createSourceFile(file, fs.readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: { spec: string; typeOnly: boolean }[] = [];
  const allTypes = (els: readonly { isTypeOnly: boolean }[]) => els.length > 0 && els.every((e) => e.isTypeOnly);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const c = node.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      found.push({ spec: node.moduleSpecifier.text, typeOnly: !!c && (c.isTypeOnly || (!c.name && !!named && allTypes(named))) });
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      found.push({ spec: node.moduleSpecifier.text, typeOnly: node.isTypeOnly || (!!named && allTypes(named)) });
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const e = node.moduleReference.expression;
      if (ts.isStringLiteral(e)) found.push({ spec: e.text, typeOnly: node.isTypeOnly });
    } else if (ts.isCallExpression(node) && node.arguments.length >= 1 && ts.isStringLiteralLike(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require'))
        found.push({ spec: node.arguments[0].text, typeOnly: false });
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push({ spec: node.argument.literal.text, typeOnly: true });
    }
    ts.forEachChild(node, visit);
  };
  visit(src);
  const arrows: Arrow[] = [];
  for (const { spec, typeOnly } of found) {
    if (!spec.startsWith('.')) continue; // a package
    const base = path.resolve(path.dirname(file), spec);
    const target = [base, `${base}.ts`, path.join(base, 'index.ts')].find((f) => f.endsWith('.ts') && fs.existsSync(f));
    if (target) arrows.push({ from: rel(file), to: rel(target), typeOnly });
  }
  return arrows;
}

const files = sourceFiles(LIB).map(rel).sort();
const arrows = files.flatMap((f) => importsOf(path.join(ROOT, f)));

test('the import reader sees value, type-only, re-exported and required imports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-layers-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), 'export type A = number;\nexport const a = 1;\n');
    fs.writeFileSync(
      path.join(dir, 'b.ts'),
      "import type { A } from './a';\nimport { type A as B, a } from './a';\nexport { a as c } from './a';\n" +
        "export type { A as D } from './a';\nconst x = require('./a');\ntype E = import('./a').A;\nimport * as pkg from 'node:fs';\n",
    );
    const got = importsOf(path.join(dir, 'b.ts')).map((a) => [path.basename(a.to), a.typeOnly]);
    assert.deepEqual(got, [
      ['a.ts', true],
      ['a.ts', false],
      ['a.ts', false],
      ['a.ts', true],
      ['a.ts', false],
      ['a.ts', true],
    ]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('every file of lib/ is in a layer of docs/ARCHITECTURE.md', () => {
  const layers = docLayers();
  const homeless = files.filter((f) => !layerOf(layers, f));
  assert.deepEqual(homeless, [], `not in the layer table of docs/ARCHITECTURE.md: ${homeless.join(', ')}`);
});

test('no import in lib/ runs up a layer (type-only imports included)', () => {
  const layers = docLayers();
  const rank = (f: string) => FRONT_DOORS.findIndex((group) => group.some((g) => f.startsWith(g)));
  const uphill = arrows.flatMap((a) => {
    const from = layerOf(layers, a.from);
    const to = layerOf(layers, a.to);
    if (!from || !to) return []; // the test above names them
    const may = MAY_IMPORT[from];
    const ok =
      from === to
        ? from !== 'front doors' || a.from.split('/')[1] === a.to.split('/')[1] || rank(a.to) < rank(a.from)
        : may.values.includes(to) || (a.typeOnly && may.types.includes(to));
    return ok ? [] : [`${a.from} (${from}) imports ${a.typeOnly ? 'types from ' : ''}${a.to} (${to})`];
  });
  assert.deepEqual(uphill, [], `imports running up a layer:\n${uphill.join('\n')}`);
});
