/** Saved seeds are reused only while the code of their own experiment is unchanged, and hold plain JSON data. */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadRegistry } from '../../lib/cli/registry';
import { checkSeedResult, codeFingerprints } from '../../lib/cli/seed-store';
import { ROOT, tmpDir } from './helpers';

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
  const before = codeFingerprints(registry, exps);
  assert.notEqual(before.get('fp-a'), before.get('fp-b'));
  fs.appendFileSync(path.join(base, 'b.ts'), '// a change to b only\n');
  const later = codeFingerprints(registry, exps);
  assert.equal(later.get('fp-a'), before.get('fp-a'), 'a is untouched');
  assert.notEqual(later.get('fp-b'), before.get('fp-b'), 'b changed');
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
