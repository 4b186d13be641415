/**
 * Each playground panel lists only maps its computation runs on and shows something with (lib/playground/map-uses.ts):
 * every listed map of data/ is run here in Node through the panel's own function, and the maps left out are the ones
 * the rule is there for (the risk MDP has no goal; the authors' block model needs walls that are states).
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import {
  alternatingRows,
  FIG3B_REWARDS,
  gridFromText,
  learnCurve,
  learnPath,
  optimismArrows,
  paperCapacityPaths,
} from '../../lib/playground/compute';
import { MAP_USES, type MapUse, mapsFor } from '../../lib/playground/map-uses';

const DATA = path.resolve(__dirname, '..', '..', 'data');
const maps: Record<string, string> = Object.fromEntries(
  fs
    .readdirSync(DATA)
    .filter((f) => f.endsWith('.txt'))
    .map((f) => [f.slice(0, -'.txt'.length), fs.readFileSync(path.join(DATA, f), 'utf8')]),
);

/** What each use shows, run on one map: it must not throw and must show something. */
const SHOWS: Record<MapUse, (text: string, name: string) => void> = {
  bound: (text, name) => {
    const r = alternatingRows(gridFromText(text, name, { rewards: FIG3B_REWARDS }), 'mnm');
    assert.ok(r.rows.length > 1, `${name}: the alternating procedure stops after ${r.rows.length} iteration`);
  },
  optimism: (text, name) => {
    const arrows = optimismArrows(gridFromText(text, name), 'eq5');
    assert.ok(
      arrows.some((a) => Math.hypot(a.dRow, a.dCol) > 1e-6),
      `${name}: q* equals p everywhere`,
    );
  },
  learning: (text, name) => {
    assert.ok(learnCurve(gridFromText(text, name), 'mnm', 1, 500).length > 1, `${name}: no curve`);
  },
  'paths-paper': (text, name) => {
    assert.equal(paperCapacityPaths(gridFromText(text, name)).length, 3, name);
  },
  'paths-e2': (text, name) => {
    assert.ok(learnPath(gridFromText(text, name), 'mnm', 1, 500).path.length >= 1, name);
  },
};

for (const use of Object.keys(MAP_USES) as MapUse[]) {
  test(`${use}: every map listed runs and shows something`, () => {
    const listed = mapsFor(maps, use);
    assert.ok(listed.length > 0, `no map of data/ suits ${use} (${MAP_USES[use].needs})`);
    for (const name of listed) SHOWS[use](maps[name], name);
  });
}

test('the maps left out are the ones the rules are for', () => {
  for (const use of ['bound', 'optimism', 'learning', 'paths-e2'] as const) {
    assert.ok(!mapsFor(maps, use).includes('paper-fig3a-risk'), `${use} lists the risk MDP, which has no goal`);
  }
  // The authors' block model puts mass on wall cells: a map whose walls are obstacles makes it fail.
  assert.throws(() => paperCapacityPaths(gridFromText(maps['e2-fine-walls-12x12'], 'e2-fine-walls-12x12')), /walls: states/);
  assert.ok(!mapsFor(maps, 'paths-paper').includes('e2-fine-walls-12x12'));
  assert.deepEqual(mapsFor(maps, 'paths-paper'), ['paper-fig2b-15x15']);
});
