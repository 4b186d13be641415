/**
 * An experiment folder's seeds are keyed by what its run.ts reaches: editing a report (a caption, a claim's wording,
 * the title in index.ts) reuses the saved seeds; editing run.ts, or what it imports, recomputes them.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { loadRegistry } from '../../lib/cli/registry';
import { codeFingerprints } from '../../lib/seed-store';
import { mnmHere, ROOT, tmpDir } from '../cli/helpers';

const base = tmpDir('fingerprint-split');
after(() => fs.rmSync(base, { recursive: true, force: true }));

/** Replaces the first `from` in a file, failing when it is not there (so an edit that silently does nothing cannot pass). */
function edit(file: string, from: string, to: string): void {
  const src = fs.readFileSync(file, 'utf8');
  assert.ok(src.includes(from), `${file} contains ${JSON.stringify(from)}`);
  fs.writeFileSync(file, src.replace(from, to));
}

test("the project's experiments, on a copy of lib/ and data/: report edits keep every fingerprint, run edits change their own", () => {
  const tree = path.join(base, 'tree');
  fs.cpSync(path.join(ROOT, 'lib'), path.join(tree, 'lib'), { recursive: true });
  fs.cpSync(path.join(ROOT, 'data'), path.join(tree, 'data'), { recursive: true });
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(tree, 'node_modules'));
  const experiments = path.join(tree, 'lib', 'experiments');
  const registry = path.join(experiments, 'index.ts');
  const exps = loadRegistry(registry);
  const ids = exps.map((e) => e.id);
  const fingerprints = () => codeFingerprints(registry, exps, 'tfjs');
  const before = fingerprints();
  assert.equal(new Set(before.values()).size, ids.length, 'every experiment has its own fingerprint');

  // Report-side edits: a caption (E1), a claim's wording (E3's paper setting), a title (E5's index.ts).
  edit(path.join(experiments, 'e1-gridworld-optimism', 'report.ts'), "caption: '", "caption: 'Edited. ");
  edit(path.join(experiments, 'e3-risk-mdp', 'paper-report.ts'), 'claim: "[paper setting] ', 'claim: "[paper setting, edited] ');
  edit(path.join(experiments, 'e5-bound-properties', 'index.ts'), "title: '", "title: 'Edited: ");
  assert.deepEqual(fingerprints(), before, 'no seed is recomputed after a report edit');

  // Run-side edits: E1's run.ts (E6 imports it, so both change), E3's paper-setting run.
  fs.appendFileSync(path.join(experiments, 'e1-gridworld-optimism', 'run.ts'), '// a change to what computes E1 seeds\n');
  fs.appendFileSync(path.join(experiments, 'e3-risk-mdp', 'paper-run.ts'), '// a change to what computes E3 paper-setting seeds\n');
  const later = fingerprints();
  const changed = ids.filter((id) => later.get(id) !== before.get(id));
  assert.deepEqual(changed, ['e1-gridworld-optimism', 'e3-risk-mdp', 'e6-transfer']);
});

test('mnm run on an experiment folder: a caption edit reuses the saved seeds, a run.ts edit recomputes them', async () => {
  const dir = path.join(base, 'folder');
  const exp = path.join(dir, 'coin');
  fs.mkdirSync(exp, { recursive: true });
  const lib = (m: string) => JSON.stringify(path.join(ROOT, 'lib', m));
  fs.writeFileSync(
    path.join(exp, 'run.ts'),
    `import type { SeedContext, SeedResult } from ${lib('experiment')};
export type CoinTables = { flips: { flip: number; heads: boolean }[] };
export const config = { defaults: () => ({ flips: 5 }) };
export function runSeed(ctx: SeedContext<{ flips: number }>): SeedResult<CoinTables> {
  return { tables: { flips: Array.from({ length: ctx.config.flips }, (_, flip) => ({ flip, heads: ctx.rng.uniform() < 0.5 })) } };
}
`,
  );
  fs.writeFileSync(
    path.join(exp, 'report.ts'),
    `import type { Report, SeedResult } from ${lib('experiment')};
import type { CoinTables } from './run';
export const CAPTION = 'Heads per seed.';
export function report(results: SeedResult<CoinTables>[]): Report {
  return { tables: {}, figures: {}, claims: [{ id: 'COIN.heads', experiment: 'coin', claim: CAPTION, paper: '-', holds: results.length > 0, measured: '-' }] };
}
`,
  );
  fs.writeFileSync(
    path.join(exp, 'index.ts'),
    `import type { Experiment } from ${lib('experiment')};
import { report } from './report';
import { config, runSeed } from './run';
export const coin: Experiment<{ flips: number }> = { id: 'coin', title: 'A coin', paper: '-', reproduces: '-', notebook: '-',
  seeds: { smoke: 2, quick: 2, paper: 2 }, config, runSeed, report };
`,
  );
  const registry = path.join(dir, 'registry.ts');
  fs.writeFileSync(registry, "import { coin } from './coin';\nexport const EXPERIMENTS = [coin];\n");
  const out = path.join(dir, 'out');
  const run = () => mnmHere(['run', '--registry', registry, '--scale', 'smoke', '--out', out, '--workers', '0']);

  const first = await run();
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stderr, /0 already saved in .*; running 2 /);

  edit(path.join(exp, 'report.ts'), "'Heads per seed.'", "'The heads of each seed.'");
  const afterReportEdit = await run();
  assert.equal(afterReportEdit.status, 0, afterReportEdit.stderr);
  assert.match(afterReportEdit.stderr, /2 already saved in [^;]*; running 0 /);
  assert.doesNotMatch(afterReportEdit.stderr, /recomputed/);

  fs.appendFileSync(path.join(exp, 'run.ts'), '// a change to the seed code\n');
  const afterRunEdit = await run();
  assert.equal(afterRunEdit.status, 0, afterRunEdit.stderr);
  assert.match(afterRunEdit.stderr, /2 saved by different code, data or config \(recomputed\)/);
});
