/** Saved seeds are reused only while the code of their own experiment is unchanged, and hold plain JSON data. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadRegistry } from '../../lib/cli/registry';
import { BadSeedFile, checkSeedResult, codeFingerprints, loadSeed, saveSeed, type SeedRecord, typedResults } from '../../lib/seed-store';
import { fingerprint } from '../../lib/fingerprint';
import { mnmHere, read, ROOT, tmpDir } from './helpers';

const base = tmpDir('fingerprint');
after(() => fs.rmSync(base, { recursive: true, force: true }));

test('the fingerprint of an experiment changes with its own code only', () => {
  const lib = path.join(ROOT, 'lib');
  const experiment = (id: string) => `import type { Experiment } from ${JSON.stringify(path.join(lib, 'experiment'))};
export const exp: Experiment = { id: '${id}', title: '${id}', paper: '-', reproduces: '-', notebook: '-', seeds: { smoke: 1, quick: 1, paper: 1 },
  config: { defaults: () => ({}) }, runSeed: ({ rng }) => ({ tables: { t: [{ x: rng.uniform() }] } }), report: () => ({ tables: {}, figures: {}, claims: [] }) };
`;
  fs.writeFileSync(path.join(base, 'a.ts'), experiment('fp-a'));
  fs.writeFileSync(path.join(base, 'b.ts'), experiment('fp-b'));
  const registry = path.join(base, 'registry.ts');
  fs.writeFileSync(registry, "import { exp as a } from './a';\nimport { exp as b } from './b';\nexport const EXPERIMENTS = [a, b];\n");
  const exps = loadRegistry(registry);
  const before = codeFingerprints(registry, exps, 'tfjs');
  assert.notEqual(before.get('fp-a'), before.get('fp-b'));
  fs.appendFileSync(path.join(base, 'b.ts'), '// a change to b only\n');
  const later = codeFingerprints(registry, exps, 'tfjs');
  assert.equal(later.get('fp-a'), before.get('fp-a'), 'a is untouched');
  assert.notEqual(later.get('fp-b'), before.get('fp-b'), 'b changed');
  // Seeds computed with SAC on the engine are other numbers: their fingerprint differs from TensorFlow.js's.
  const tfjs = codeFingerprints(registry, exps, 'tfjs');
  const engine = codeFingerprints(registry, exps, 'engine');
  assert.equal(tfjs.get('fp-a'), later.get('fp-a'), 'TensorFlow.js is the default');
  assert.notEqual(engine.get('fp-a'), tfjs.get('fp-a'));
});

test('the fingerprint covers the data files an experiment names: editing its map recomputes its seeds, no other', async () => {
  const dir = path.join(base, 'data-run');
  fs.mkdirSync(path.join(dir, 'data'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'data', 'map-a.txt'), '1 2 3\n');
  fs.writeFileSync(path.join(dir, 'data', 'map-b.txt'), '4 5 6\n');
  // Two experiments that sum the numbers of their own map (read at run time, like dataMap does).
  const experiment = (id: string, map: string) => `import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Experiment } from ${JSON.stringify(path.join(ROOT, 'lib', 'experiment'))};
const MAP = '${map}';
export const exp: Experiment = { id: '${id}', title: '${id}', paper: '-', reproduces: '-', notebook: '-', seeds: { smoke: 1, quick: 1, paper: 1 },
  config: { defaults: () => ({}) }, runSeed: () => ({ tables: { t: [{ sum: fs.readFileSync(path.join(__dirname, 'data', MAP), 'utf8').trim().split(' ').map(Number).reduce((a, b) => a + b, 0) }] } }),
  report: () => ({ tables: {}, figures: {}, claims: [] }) };
`;
  fs.writeFileSync(path.join(dir, 'a.ts'), experiment('fp-data-a', 'map-a.txt'));
  fs.writeFileSync(path.join(dir, 'b.ts'), experiment('fp-data-b', 'map-b.txt'));
  const registry = path.join(dir, 'registry.ts');
  fs.writeFileSync(registry, "import { exp as a } from './a';\nimport { exp as b } from './b';\nexport const EXPERIMENTS = [a, b];\n");
  const out = path.join(dir, 'out');
  const run = () => mnmHere(['run', '--registry', registry, '--scale', 'smoke', '--out', out, '--workers', '0']);
  const sumOf = (id: string) => JSON.parse(read(path.join(out, 'seeds/smoke', id, 'seed-0000.json'))).result.tables.t[0].sum;
  assert.equal((await run()).status, 0);
  assert.deepEqual([sumOf('fp-data-a'), sumOf('fp-data-b')], [6, 15]);

  fs.writeFileSync(path.join(dir, 'data', 'map-a.txt'), '1 2 3 4\n'); // the map is edited after the run
  const again = await run();
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stderr, /1 already saved in .*, 1 saved by different code, data or config \(recomputed\); running 1 /);
  assert.deepEqual([sumOf('fp-data-a'), sumOf('fp-data-b')], [10, 15], 'the new map is used, the other experiment reused');
});

test('deep runs and saved seeds share the one fingerprint: module closure from the sources, plus named data files', () => {
  const fp = fingerprint(path.join(ROOT, 'lib', 'experiments', 'e1-gridworld-optimism', 'run.ts'));
  assert.ok(fp.files.includes(path.join(ROOT, 'lib', 'tabular', 'solve.ts')), 'an indirect import is covered');
  assert.ok(fp.data.includes(path.join(ROOT, 'data', 'e1-open-10x10.txt')), 'the E1 map is covered');
  assert.ok(!fp.data.some((f) => f.includes('e6-goal')), 'the E6 maps, which no module of E1 names, are not');
  assert.deepEqual(fingerprint(path.join(ROOT, 'lib', 'experiments', 'e5-bound-properties', 'run.ts')).data, [], 'E5 reads no map');
  const deep = fingerprint(path.join(ROOT, 'lib', 'experiments', 'deep-runs.ts'));
  assert.ok(deep.files.some((f) => f.endsWith(path.join('deep', 'model-based.ts'))));
  // The engine's kernels run without being imported: their AssemblyScript sources are covered (@compiled-from).
  for (const k of ['index.ts', 'mnm.ts', 'dense.ts'])
    assert.ok(deep.files.includes(path.join(ROOT, 'lib', 'engine', 'assembly', k)), `the engine source ${k} is covered`);
  assert.deepEqual(deep.data, []);
  assert.match(fp.hash, /^[0-9a-f]{16}$/);
});

test('a kernel compiled from sources the code does not import still changes the fingerprint (@compiled-from)', () => {
  const dir = path.join(base, 'compiled');
  fs.mkdirSync(path.join(dir, 'kernels'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'kernels', 'index.ts'), "export { add } from './add';\n");
  fs.writeFileSync(path.join(dir, 'kernels', 'add.ts'), 'export function add(a: i32, b: i32): i32 { return a + b; }\n');
  fs.writeFileSync(path.join(dir, 'loader.ts'), '// @compiled-from ./kernels/index.ts\nexport const WASM = "build/k.wasm";\n');
  const before = fingerprint(path.join(dir, 'loader.ts'));
  assert.ok(before.files.includes(path.join(fs.realpathSync(dir), 'kernels', 'add.ts')), 'a source the index re-exports is followed');
  fs.appendFileSync(path.join(dir, 'kernels', 'add.ts'), '// a changed kernel\n');
  assert.notEqual(fingerprint(path.join(dir, 'loader.ts')).hash, before.hash);
});

test('seed results must be plain JSON rows: NaN, Infinity and objects are named', () => {
  assert.equal(checkSeedResult({ tables: { t: [{ a: 1, b: 'x', c: true, d: null }] } }), null);
  assert.equal(
    checkSeedResult({ tables: { t: [{ a: NaN }] } }),
    "table 't' row 0 column 'a' is NaN (rows hold finite numbers, strings, booleans or null)",
  );
  assert.match(checkSeedResult({ tables: { t: [{ a: 1 }, { a: -Infinity }] } })!, /row 1 column 'a' is -Infinity/);
  assert.match(checkSeedResult({ tables: { t: [{ a: [1, 2] }] } })!, /column 'a' is object/);
  assert.equal(checkSeedResult({ rows: [] }), 'runSeed must return {tables: {name: rows[]}}');
});

test('column by column: every row of a table has the columns of its first row, each column one type (null anywhere)', () => {
  assert.equal(
    checkSeedResult({
      tables: {
        t: [
          { a: 1, b: null },
          { a: null, b: 'x' },
          { a: 2, b: 'y' },
        ],
        empty: [],
      },
    }),
    null,
  );
  assert.equal(checkSeedResult({ tables: { t: [{ a: 1, b: 'x' }, { a: 2 }] } }), "table 't' row 1 has no column 'b'");
  assert.equal(
    checkSeedResult({ tables: { t: [{ a: 1 }, { a: 2, c: 3 }] } }),
    "table 't' row 1 has a column 'c' that its first row has not",
  );
  assert.equal(
    checkSeedResult({ tables: { t: [{ a: 1 }, { a: '2' }] } }),
    "table 't' row 1 column 'a' is a string, where the column holds numbers",
  );
  assert.equal(checkSeedResult({ tables: { t: [{ a: 1 }, 7] } }), "table 't' row 1 is not an object of cells");
});

test('a damaged saved seed is one error naming the file, table, row and column; so is a seed unlike the others', () => {
  const dir = path.join(base, 'damaged');
  const rec = (seed: number, rows: Record<string, number | string | null>[]): SeedRecord => ({
    experiment: 'fx',
    seed,
    scale: 'smoke',
    fingerprint: 'f',
    seconds: 0,
    result: { tables: { curves: rows } },
  });
  // Saved with a valid checksum, as a seed computed by broken code or edited and re-checksummed would be.
  saveSeed(
    dir,
    rec(0, [
      { step: 0, ret: 1 },
      { step: 1, ret: 'high' },
    ]),
  );
  const file = path.join(dir, 'seeds', 'smoke', 'fx', 'seed-0000.json');
  assert.throws(
    () => loadSeed(dir, 'smoke', { experiment: 'fx', seed: 0 }),
    (err: unknown) =>
      err instanceof BadSeedFile &&
      err.message === `${file}: table 'curves' row 1 column 'ret' is a string, where the column holds numbers`,
  );
  // Each seed well-formed on its own, but seed 1's table has another column than seed 0's.
  const good = rec(0, [{ step: 0, ret: 1 }]);
  const other = rec(1, [{ step: 0, return: 1 }]);
  assert.deepEqual(typedResults([good]), [good.result]);
  assert.throws(
    () => typedResults([good, other], dir),
    (err: unknown) =>
      err instanceof BadSeedFile &&
      err.message ===
        `${path.join(dir, 'seeds', 'smoke', 'fx', 'seed-0001.json')}: table 'curves' row 0 has a column 'return' that the table has not in other seeds`,
  );
});
