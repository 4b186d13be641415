/**
 * `mnm reference` on tampered or incomplete input (issue 22): every case is one line naming the file and what is
 * wrong (exit 2), checked before any training, and nothing half-written.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import type { Experiment } from '../../lib/experiment';
import { codeHash } from '../../lib/experiments/deep-runs';
import { machineInfo, type ReferenceInfo } from '../../lib/report/reference';
import { mnmHere } from '../cli/helpers';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-reference-input-'));
after(() => fs.rmSync(base, { recursive: true, force: true }));

const name = 'point-maze-mnm-h1-s0';
const good = {
  format: 'mnm-reference-run-1',
  spec: { task: 'point-maze', algo: 'mnm', scale: 'smoke', seed: 0 },
  seedKey: 'deep/point-maze/mnm/h1/seed-0',
  rows: [],
};

function folder(label: string, runFile: string): string {
  const dir = path.join(base, label);
  fs.mkdirSync(path.join(dir, 'runs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'runs', `${name}.json`), runFile);
  const info: ReferenceInfo = {
    format: 'mnm-reference-1',
    scale: 'smoke',
    command: 'test',
    experiments: {},
    trainingCode: codeHash(),
    backend: 'wasm',
    machine: machineInfo(),
    wallSeconds: 1,
    saved: new Date(0).toISOString(),
    runs: [name],
  };
  fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info));
  return dir;
}

test('reference check on a tampered run file: one line naming the file and the field, before any training', async () => {
  const cases: [string, string, RegExp][] = [
    [
      'unknown-task',
      JSON.stringify({ ...good, spec: { ...good.spec, task: 'walker' } }),
      /runs\/point-maze-mnm-h1-s0\.json: spec\.task must be one of .*, got "walker"$/m,
    ],
    ['truncated', JSON.stringify(good).slice(0, 40), /runs\/point-maze-mnm-h1-s0\.json.*(not valid JSON|JSON)/m],
    ['huge-seed', JSON.stringify({ ...good, spec: { ...good.spec, seed: 1e300 } }), /spec\.seed must be an integer >= 0, got 1e\+300$/m],
    [
      'other-name',
      JSON.stringify({ ...good, spec: { ...good.spec, seed: 3 }, seedKey: 'deep/point-maze/mnm/h1/seed-3' }),
      /its spec is the run "point-maze-mnm-h1-s3", not "point-maze-mnm-h1-s0" as its file name says$/m,
    ],
    [
      'other-scale',
      JSON.stringify({ ...good, spec: { ...good.spec, scale: 'paper' } }),
      /spec\.scale must be the folder's scale \(smoke\), got "paper"$/m,
    ],
    ['no-spec', JSON.stringify({ ...good, spec: 7 }), /spec must be an object, got 7$/m],
    [
      'bad-backend',
      JSON.stringify({ ...good, spec: { ...good.spec, backend: 'gpu' } }),
      /spec\.backend must be one of tfjs, engine, got "gpu"$/m,
    ],
    [
      'bad-variant',
      JSON.stringify({ ...good, spec: { ...good.spec, variant: 'A B' } }),
      /spec\.variant must be lower-case letters and digits joined by '-', got "A B"$/m,
    ],
  ];
  for (const [label, content, message] of cases) {
    const r = await mnmHere(['reference', 'check', name, '--dir', folder(label, content)]);
    assert.equal(r.status, 2, `${label}: ${r.stderr}`);
    assert.match(r.stderr, /^mnm: mnm reference check: /, label);
    assert.match(r.stderr, message, label);
    assert.doesNotMatch(r.stderr, /\n\s+at |TypeError/, `${label}: one line, no stack trace`);
    assert.doesNotMatch(r.stderr, /%/, `${label}: no training started`);
  }
});

test('reference save from a folder without the seeds, or with --wall Infinity: one line, nothing written', async () => {
  const empty = path.join(base, 'empty-results');
  fs.mkdirSync(empty);
  const out = path.join(base, 'saved-reference');
  const r = await mnmHere(['reference', 'save', '--from', empty, '--wall', '100', '--out', out, '--scale', 'smoke']);
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^mnm: mnm reference save: --from ${empty}: e7-q-value-stability has 0 of its \\d+ seeds at smoke scale; finish the run first$`,
      'm',
    ),
  );
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.ok(!fs.existsSync(out), 'nothing written');
  for (const wall of ['Infinity', '1e999', 'NaN', '-1']) {
    const w = await mnmHere(['reference', 'save', '--from', empty, '--wall', wall, '--out', out]);
    assert.equal(w.status, 2, w.stderr);
    assert.match(w.stderr, new RegExp(`^mnm: mnm reference save: --wall must be the run's wall time in seconds, got "${wall}"$`, 'm'));
  }
  assert.deepEqual(
    fs.readdirSync(base).filter((f) => f.includes('.tmp-')),
    [],
    'no temporary folder left',
  );
});

test('reference list on a tampered run.json: one line naming the field', async () => {
  const cases: [string, (info: Record<string, unknown>) => void, RegExp][] = [
    ['wall', (i) => (i.wallSeconds = 'long'), /run\.json: wallSeconds must be a finite number > 0, got "long"$/m],
    ['runs', (i) => (i.runs = 'all'), /run\.json: runs must be a list of run names, got "all"$/m],
    ['machine', (i) => (i.machine = null), /run\.json: machine must be \{cores, cpu, memoryGiB, platform, node\}, got null$/m],
    [
      'seeds',
      (i) => (i.experiments = { e7: { seeds: 'x', fingerprint: 'f' } }),
      /run\.json: experiments\.e7 must be \{seeds: \[integers\], fingerprint\}, got an object/m,
    ],
  ];
  for (const [label, tamper, message] of cases) {
    const dir = folder(`list-${label}`, JSON.stringify(good));
    const info = JSON.parse(fs.readFileSync(path.join(dir, 'run.json'), 'utf8'));
    tamper(info);
    fs.writeFileSync(path.join(dir, 'run.json'), JSON.stringify(info));
    const r = await mnmHere(['reference', 'list', '--dir', dir]);
    assert.equal(r.status, 2, `${label}: ${r.stderr}`);
    assert.match(r.stderr, message, label);
    assert.doesNotMatch(r.stderr, /\n\s+at |TypeError/, `${label}: no stack trace`);
  }
});

test('reference save of some experiments keeps the others (their seeds and the save they came from) and drops runs of earlier code', async () => {
  const { saveReference, readReferenceInfo, seedsOf, experimentSave } = await import('../../lib/report/reference');
  const { saveSeed } = await import('../../lib/seed-store');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-ref-keep-'));
  try {
    const [from, out, cache] = ['from', 'out', 'cache'].map((d) => path.join(root, d));
    const seed = (experiment: string, s: number, fingerprint: string) =>
      ({ experiment, seed: s, scale: 'smoke', fingerprint, seconds: 1, result: { tables: {} } }) as const;
    const exp = (id: string) => ({ id, seeds: { smoke: 2, quick: 2, paper: 2 } }) as unknown as Experiment;
    // The present reference: e7 and e9 from an earlier save, with a run of earlier training code.
    for (const id of ['e7-q-value-stability', 'e9-rollout-horizon']) for (const s of [0, 1]) saveSeed(out, seed(id, s, 'old'));
    fs.mkdirSync(path.join(out, 'runs'), { recursive: true });
    fs.writeFileSync(path.join(out, 'runs', 'pendulum-sac-h1-s0.json'), '{}');
    fs.writeFileSync(
      path.join(out, 'run.json'),
      JSON.stringify({
        format: 'mnm-reference-1',
        scale: 'smoke',
        command: 'old command',
        experiments: {
          'e7-q-value-stability': { seeds: [0, 1], fingerprint: 'old' },
          'e9-rollout-horizon': { seeds: [0, 1], fingerprint: 'old' },
        },
        trainingCode: 'earlier',
        backend: 'tfjs',
        machine: { cores: 2, cpu: 'x', memoryGiB: 1, platform: 'linux', node: 'v20' },
        wallSeconds: 3600,
        saved: '2026-01-01T00:00:00.000Z',
        runs: ['pendulum-sac-h1-s0'],
      }),
    );
    // The new run: e7 only, with one deep run of the current code in the cache.
    for (const s of [0, 1]) saveSeed(from, seed('e7-q-value-stability', s, 'new'));
    fs.mkdirSync(cache);
    const spec = { task: 'point-maze', algo: 'sac', scale: 'smoke', seed: 0 };
    fs.writeFileSync(
      path.join(cache, `point-maze-sac-h1-s0-abc-${codeHash()}.json`),
      JSON.stringify({ spec, seedKey: 'k', rows: [{ backend: 'tfjs' }] }),
    );
    const info = saveReference({
      from,
      out,
      scale: 'smoke',
      experiments: [exp('e7-q-value-stability')],
      cacheDir: cache,
      command: 'new command',
      wallSeconds: 60,
      keep: true,
    });
    assert.deepEqual(Object.keys(info.experiments).sort(), ['e7-q-value-stability', 'e9-rollout-horizon']);
    assert.equal(experimentSave(info, 'e9-rollout-horizon').command, 'old command');
    assert.equal(experimentSave(info, 'e9-rollout-horizon').trainingCode, 'earlier');
    assert.equal(experimentSave(info, 'e7-q-value-stability').command, 'new command');
    assert.deepEqual(
      seedsOf(out, 'smoke', 'e7-q-value-stability').map((r) => r.fingerprint),
      ['new', 'new'],
    );
    assert.deepEqual(
      seedsOf(out, 'smoke', 'e9-rollout-horizon').map((r) => r.fingerprint),
      ['old', 'old'],
    );
    assert.deepEqual(readReferenceInfo(out).runs, ['point-maze-sac-h1-s0']);
    assert.deepEqual(fs.readdirSync(path.join(out, 'runs')), ['point-maze-sac-h1-s0.json']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('reference names: runs that share a name are told apart by their keys; restore puts runs in the cache once, for this code only', async () => {
  const { saveReference, restoreRunCache, referenceRunName, checkReferenceRun } = await import('../../lib/report/reference');
  const { saveSeed } = await import('../../lib/seed-store');
  const { taskSettings } = await import('../../lib/experiments/deep-runs');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-ref-names-'));
  try {
    const [from, out, cache, again] = ['from', 'out', 'cache', 'again'].map((d) => path.join(root, d));
    for (const s of [0, 1])
      saveSeed(from, { experiment: 'e10-deep-comparison', seed: s, scale: 'smoke', fingerprint: 'f', seconds: 1, result: { tables: {} } });
    fs.mkdirSync(cache);
    const defaults = taskSettings('point-maze', 'smoke');
    const spec = (tau: number, variant?: string) => ({
      task: 'point-maze' as const,
      algo: 'sac' as const,
      scale: 'smoke' as const,
      seed: 0,
      backend: 'tfjs' as const,
      settings: { ...defaults, tau },
      ...(variant && { variant }),
    });
    assert.equal(referenceRunName(spec(0.5)), 'point-maze-sac-h1-s0');
    assert.match(referenceRunName(spec(0.5), true), /^point-maze-sac-h1-s0-[0-9a-f]{8}$/);
    assert.notEqual(referenceRunName(spec(0.5), true), referenceRunName(spec(0.6), true));
    const put = (file: string, s: ReturnType<typeof spec>) =>
      fs.writeFileSync(
        path.join(cache, `${file}-${codeHash()}.json`),
        JSON.stringify({ spec: s, seedKey: 'deep/point-maze/seed-0', rows: [{ backend: 'tfjs' }] }),
      );
    // Two runs of one name (other τ) and one of its own name (a variant).
    put('a', spec(0.5));
    put('b', spec(0.6));
    put('c', spec(0.5, 'slow'));
    const info = saveReference({
      from,
      out,
      scale: 'smoke',
      experiments: [{ id: 'e10-deep-comparison', seeds: { smoke: 2, quick: 2, paper: 2 } } as unknown as Experiment],
      cacheDir: cache,
      command: 'c',
      wallSeconds: 1,
    });
    assert.deepEqual(
      [...info.runs].sort(),
      [referenceRunName(spec(0.5), true), referenceRunName(spec(0.6), true), 'point-maze-sac-slow-h1-s0'].sort(),
    );
    assert.deepEqual(fs.readdirSync(path.join(out, 'runs')).sort(), info.runs.map((r) => `${r}.json`).sort());
    // Each file passes the checks under its keyed name (the rows are not retrained: a renamed file would fail first).
    const renamed = path.join(out, 'runs', `${referenceRunName(spec(0.6), true)}.json`);
    fs.renameSync(path.join(out, 'runs', `${referenceRunName(spec(0.5), true)}.json`), path.join(root, 'a.json'));
    fs.copyFileSync(renamed, path.join(out, 'runs', `${referenceRunName(spec(0.5), true)}.json`));
    await assert.rejects(
      checkReferenceRun(out, referenceRunName(spec(0.5), true)),
      /its spec is the run "point-maze-sac-h1-s0", not "point-maze-sac-h1-s0-[0-9a-f]{8}" as its file name says/,
    );
    fs.renameSync(path.join(root, 'a.json'), path.join(out, 'runs', `${referenceRunName(spec(0.5), true)}.json`));
    // Restored into an empty cache: one file per run, named as deepRun names it; a second restore writes nothing.
    assert.deepEqual(restoreRunCache(out, again), { written: 3, cached: 0 });
    assert.deepEqual(restoreRunCache(out, again), { written: 0, cached: 3 });
    for (const f of fs.readdirSync(again)) assert.match(f, new RegExp(`^point-maze-sac(-slow)?-h1-s0-[0-9a-f]{16}-${codeHash()}\\.json$`));
    // A damaged run file: one line naming it, and nothing written for the others either.
    const empty = path.join(root, 'empty');
    const keyed = path.join(out, 'runs', `${referenceRunName(spec(0.6), true)}.json`);
    const good = fs.readFileSync(keyed, 'utf8');
    fs.writeFileSync(keyed, good.slice(0, 30));
    assert.throws(() => restoreRunCache(out, empty), new RegExp(`${path.basename(keyed).replace('.', '\\.')}.*JSON`));
    assert.equal(fs.existsSync(empty) && fs.readdirSync(empty).length > 0, false, 'nothing restored from a damaged reference');
    fs.writeFileSync(keyed, good);
    const saved = JSON.parse(fs.readFileSync(path.join(out, 'run.json'), 'utf8'));
    fs.writeFileSync(path.join(out, 'run.json'), JSON.stringify({ ...saved, trainingCode: 'earlier' }));
    assert.throws(() => restoreRunCache(out, again), /run\.json: made by other training code \(earlier, this code is [0-9a-f]+\)/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test("restore's cache key is deepRun's: a run deepRun trained and cached is found under the name restore computes", async () => {
  const { runKey } = await import('../../lib/report/reference');
  const { deepRun, taskSettings, runName, runSeedKey } = await import('../../lib/experiments/deep-runs');
  // A smoke-sized run at quick scale (only quick and paper runs are cached on disk), with a seed no experiment uses.
  const spec = {
    task: 'point-maze' as const,
    algo: 'sac' as const,
    scale: 'quick' as const,
    seed: 987_654,
    backend: 'tfjs' as const,
    settings: taskSettings('point-maze', 'smoke'),
  };
  const cache = path.join(__dirname, '..', '..', 'results', '.cache', 'deep-runs');
  const file = path.join(cache, `${runName(spec)}-${runKey(spec, runSeedKey(spec)).key}-${codeHash()}.json`);
  const before = process.env.MNM_RUN_CACHE;
  delete process.env.MNM_RUN_CACHE;
  try {
    fs.rmSync(file, { force: true });
    await deepRun(spec);
    assert.ok(fs.existsSync(file), `deepRun did not write ${path.basename(file)}: the keys disagree`);
  } finally {
    fs.rmSync(file, { force: true });
    if (before !== undefined) process.env.MNM_RUN_CACHE = before;
  }
});
