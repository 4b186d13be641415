/**
 * Faults around the results folder (issue 15): the folder turns read-only or the disk fills during a run
 * (a tmpfs, mounted for the test), or the folder is not writable by the user; two runs into one folder;
 * a saved seed edited by hand; stray and truncated files under seeds/. Each gets one clear message, keeps
 * every finished seed, and the same command resumes once the cause is gone.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
// The lock's documented name (environment.md), spelled out so that this file also runs against code without it.
const LOCK_FILE = '.mnm-lock';
import { computedSeeds, FIXTURES, MAIN, mnmArgs, mnmHere, read, ROOT, runFixtures, savedResults, tmpDir } from './helpers';

const base = tmpDir('faults');
fs.chmodSync(base, 0o755); // readable by the unprivileged user of the permission test
const ref = path.join(base, 'ref');
const mounts: string[] = [];
after(() => {
  for (const m of mounts) spawnSync('umount', ['-l', m]);
  fs.rmSync(base, { recursive: true, force: true });
});

before(async () => {
  const r = await runFixtures(ref, ['--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
});

const isRoot = process.getuid?.() === 0;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const runArgs = (out: string) => ['run', '--registry', FIXTURES, '--scale', 'smoke', '--out', out, '--workers', '2'];
const tmpFiles = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => f.includes('.tmp-'));

interface Started {
  child: ChildProcess;
  exited: Promise<{ code: number | null; stderr: string; stdout: string }>;
}

/** Whether `user` can read `file` (and so enter every folder above it). */
const canRead = (user: string, file: string) => spawnSync('runuser', ['-u', user, '--', 'test', '-r', file]).status === 0;

/**
 * A checkout `user` can run mnm from: this one when it can read it; else, when this one sits in a folder it cannot
 * enter (a clone under a 0700 folder, or under root's home), a mirror of the files the run needs, hard-linked into the
 * world-readable test folder. Null, with why, when neither works (then the test skips and says so).
 */
const checkouts = new Map<string, { root: string } | { skip: string }>();
function checkoutFor(user: string): { root: string } | { skip: string } {
  let c = checkouts.get(user);
  if (!c) checkouts.set(user, (c = makeCheckoutFor(user)));
  return c;
}

function makeCheckoutFor(user: string): { root: string } | { skip: string } {
  const needs = ['lib/cli/main.ts', 'node_modules/tsx/package.json', 'test/fixtures/cli/experiments.ts'];
  if (needs.every((f) => canRead(user, path.join(ROOT, f)))) return { root: ROOT };
  if (!canRead(user, base)) return { skip: `user ${user} cannot enter the test folder ${base} (TMPDIR is private)` };
  const mirror = path.join(base, `checkout-${user}`);
  fs.mkdirSync(mirror, { mode: 0o755 });
  fs.chmodSync(mirror, 0o755);
  for (const part of ['lib', 'test', 'node_modules', 'package.json', 'tsconfig.json']) {
    const r = spawnSync('cp', ['-al', path.join(ROOT, part), mirror], { encoding: 'utf8' });
    if (r.status !== 0)
      return { skip: `user ${user} cannot read the checkout at ${ROOT}, and hard-linking it into ${base} failed: ${r.stderr.trim()}` };
  }
  const unreadable = needs.find((f) => !canRead(user, path.join(mirror, f)));
  if (unreadable) return { skip: `user ${user} cannot read ${unreadable} even in a mirror of the checkout (files not readable by others)` };
  return { root: mirror };
}

/** `mnm run` on the fixtures in a child process whose fx-slow seeds take `slowMs` each (optionally as another user, from `root`). */
function startRun(out: string, log: string, slowMs: number, user?: string, root = ROOT): Started {
  const env = { ...process.env, MNM_FIXTURE_SLOW_MS: String(slowMs), MNM_FIXTURE_LOG: log };
  const argv = user ? mnmArgsFrom(root, runArgs(out)) : mnmArgs(runArgs(out));
  const child = user
    ? spawn('runuser', ['-u', user, '--', process.execPath, ...argv], { cwd: root, env })
    : spawn(process.execPath, argv, { cwd: ROOT, env });
  let stderr = '';
  let stdout = '';
  child.stderr!.on('data', (d) => (stderr += d));
  child.stdout!.on('data', (d) => (stdout += d));
  const exited = new Promise<{ code: number | null; stderr: string; stdout: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stderr, stdout })),
  );
  return { child, exited };
}

/** mnmArgs for the checkout at `root` (the fixture registry too). */
function mnmArgsFrom(root: string, args: string[]): string[] {
  const fixtures = path.join(root, path.relative(ROOT, FIXTURES));
  return ['--import', 'tsx', path.join(root, path.relative(ROOT, MAIN)), ...args.map((a) => (a === FIXTURES ? fixtures : a))];
}

/** Waits until `n` fx-slow seeds are saved in `out` (the coin seeds are done by then). */
async function untilSlowSeeds(out: string, n: number): Promise<void> {
  const dir = path.join(out, 'seeds/smoke/fx-slow');
  for (let t = 0; t < 600; t++) {
    if (fs.existsSync(dir) && fs.readdirSync(dir).filter((f) => /^seed-\d+\.json$/.test(f)).length >= n) return;
    await sleep(50);
  }
  throw new Error(`no ${n} fx-slow seed(s) saved in ${out} within 30 s`);
}

/** The checks shared by every write fault: one `mnm:` line naming the folder and the cause, seeds kept, no temp file. */
function assertStoppedCleanly(r: { code: number | null; stderr: string }, out: string, cause: RegExp): number {
  assert.equal(r.code, 1, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => l.startsWith('mnm: cannot write'));
  assert.equal(lines.length, 1, r.stderr);
  assert.ok(lines[0].startsWith(`mnm: cannot write to ${out}: `), lines[0]);
  assert.match(lines[0], cause);
  assert.match(lines[0], /of 7 seeds are saved in .*; run the same command again to resume once it is fixed\.$/);
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.doesNotMatch(r.stderr, /ENOENT/, 'the cause is named, not a misleading code');
  const kept = Object.keys(savedResults(out)).length;
  assert.ok(kept >= 4 && kept < 7, `kept ${kept} seeds`);
  assert.ok(!fs.existsSync(path.join(out, 'claims.json')), 'no claims from a stopped run');
  return kept;
}

/** After the cause is fixed, the same command resumes: only the missing seeds run, the claims equal a clean run's. */
async function assertResumes(out: string, log: string, kept: number): Promise<void> {
  fs.rmSync(log, { force: true });
  const r = await mnmHere(runArgs(out), { MNM_FIXTURE_LOG: log });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(computedSeeds(log).length, 7 - kept, 'finished seeds are not recomputed');
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
  assert.deepEqual(tmpFiles(out), []);
  assert.ok(!fs.existsSync(path.join(out, LOCK_FILE)), 'the lock is released');
}

function mountTmpfs(name: string, size: string): string {
  const m = path.join(base, name);
  fs.mkdirSync(m);
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', m], { encoding: 'utf8' });
  assert.equal(r.status, 0, `mount: ${r.stderr}`);
  mounts.push(m);
  return m;
}

test(
  'the disk fills mid-run (ENOSPC on a small tmpfs): one line names the folder and "no space", seeds kept, resume',
  {
    skip: isRoot ? false : 'mounting a tmpfs needs root',
  },
  async () => {
    const m = mountTmpfs('full', '8m');
    const out = path.join(m, 'results');
    const log = path.join(base, 'full.log');
    const run = startRun(out, log, 1500);
    await untilSlowSeeds(out, 1);
    // Fill the file system: write until it refuses.
    const filler = path.join(m, 'filler');
    const fd = fs.openSync(filler, 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    try {
      for (;;) fs.writeSync(fd, chunk);
    } catch (err) {
      assert.equal((err as NodeJS.ErrnoException).code, 'ENOSPC');
    } finally {
      fs.closeSync(fd);
    }
    const r = await run.exited;
    const kept = assertStoppedCleanly(r, out, /: no space left on the device \(writing /);
    fs.rmSync(filler);
    await assertResumes(out, log, kept);
  },
);

test(
  'the folder turns read-only mid-run (read-only tmpfs): one line says read-only, not ENOENT; seeds kept, resume',
  {
    skip: isRoot ? false : 'mounting a tmpfs needs root',
  },
  async () => {
    const m = mountTmpfs('ro', '16m');
    const out = path.join(m, 'results');
    const log = path.join(base, 'ro.log');
    const run = startRun(out, log, 1500);
    await untilSlowSeeds(out, 1);
    assert.equal(spawnSync('mount', ['-o', 'remount,ro', m]).status, 0);
    const r = await run.exited;
    const kept = assertStoppedCleanly(r, out, /: the file system is read-only \(writing /);
    assert.equal(spawnSync('mount', ['-o', 'remount,rw', m]).status, 0);
    // The lock of the stopped run could not be removed from a read-only folder: its holder is gone, so it is taken over.
    await assertResumes(out, log, kept);
  },
);

test(
  'the folder stops being writable for the user mid-run (as an unprivileged user): "permission denied", resume',
  {
    skip: isRoot ? false : 'running as another user needs root',
  },
  async (t) => {
    // The child runs as nobody, who must read the checkout: a clone under a private folder is mirrored (issue 22).
    const checkout = checkoutFor('nobody');
    if ('skip' in checkout) {
      t.diagnostic(`skipped: ${checkout.skip}`);
      t.skip(checkout.skip);
      return;
    }
    const out = path.join(base, 'perm');
    fs.mkdirSync(out, { mode: 0o777 });
    fs.chmodSync(out, 0o777);
    const log = path.join(base, 'perm.log');
    fs.writeFileSync(log, '');
    fs.chmodSync(log, 0o666);
    const run = startRun(out, log, 1500, 'nobody', checkout.root);
    await untilSlowSeeds(out, 1);
    // Root takes the write permission away from every folder the run writes to.
    for (const d of [out, ...(fs.readdirSync(out, { recursive: true }) as string[]).map((f) => path.join(out, f))]) {
      if (fs.statSync(d).isDirectory()) fs.chmodSync(d, 0o555);
    }
    const r = await run.exited;
    const kept = assertStoppedCleanly(r, out, /: permission denied \(the folder is not writable by this user\) \(writing /);
    // Nobody cannot even start a run there now: refused up front, naming the folder.
    const again = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, ...mnmArgsFrom(checkout.root, runArgs(out))], {
      cwd: checkout.root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(again.status, 2, again.stderr);
    assert.match(again.stderr, /^mnm: --out .*perm: cannot write there \(permission denied/);
    for (const d of [out, ...(fs.readdirSync(out, { recursive: true }) as string[]).map((f) => path.join(out, f))]) {
      if (fs.statSync(d).isDirectory()) fs.chmodSync(d, 0o777);
    }
    await assertResumes(out, log, kept);
  },
);

test('two runs into one folder: the second refuses, naming the holder; a lock left by a killed run is taken over', async () => {
  const out = path.join(base, 'locked');
  const log = path.join(base, 'locked.log');
  const first = startRun(out, log, 3000);
  await untilSlowSeeds(out, 0);
  for (let t = 0; t < 200 && !fs.existsSync(path.join(out, LOCK_FILE)); t++) await sleep(50);
  const second = await mnmHere(['run', 'fx-coin', '--registry', FIXTURES, '--scale', 'smoke', '--out', out]);
  assert.equal(second.status, 2, second.stderr);
  assert.match(
    second.stderr,
    new RegExp(
      `^mnm: --out ${out} is in use by another mnm: pid ${first.child.pid} on .*, running 'mnm run --registry .*experiments\\.ts --scale smoke --out ${out} --workers 2' since .*; Wait for it to finish, or choose another folder\\.\\n`.replace(
        '; W',
        '\\. W',
      ),
    ),
  );
  // SIGKILL: the lock stays, naming a process that no longer runs.
  first.child.kill('SIGKILL');
  await first.exited;
  assert.ok(fs.existsSync(path.join(out, LOCK_FILE)));
  const r = await mnmHere(runArgs(out));
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`mnm: ${out} was locked by pid ${first.child.pid} \\('mnm run .*'\\), which no longer runs; taking it over`),
  );
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
  assert.ok(!fs.existsSync(path.join(out, LOCK_FILE)));
  assert.deepEqual(tmpFiles(out), []);
});

test('a temporary file left by a killed writer is removed by the next run', async () => {
  const out = path.join(base, 'leftover');
  fs.cpSync(ref, out, { recursive: true });
  const stray = path.join(out, 'seeds/smoke/fx-coin/seed-0001.json.tmp-999999-12345');
  fs.writeFileSync(stray, '{"half": ');
  const r = await runFixtures(out, ['--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(!fs.existsSync(stray));
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
});

test('a saved seed edited by hand (still valid JSON) is recomputed with a note by run, and refused by merge', async () => {
  const out = path.join(base, 'edited');
  fs.cpSync(ref, out, { recursive: true });
  const file = path.join(out, 'seeds/smoke/fx-coin/seed-0001.json');
  const saved = JSON.parse(read(file));
  saved.result.tables.running[5].heads_frac *= 1000;
  fs.writeFileSync(file, JSON.stringify(saved, null, 2));

  const merged = await mnmHere(['merge', out, '--out', path.join(base, 'edited-merged'), '--registry', FIXTURES]);
  assert.equal(merged.status, 2, merged.stderr);
  assert.match(merged.stderr, new RegExp(`${file}: its content does not match its checksum \\(edited after it was saved\\)`));
  assert.ok(!fs.existsSync(path.join(base, 'edited-merged')), 'a refused merge writes nothing');

  const log = path.join(base, 'edited.log');
  const r = await runFixtures(out, ['--workers', '0'], { MNM_FIXTURE_LOG: log });
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(`mnm: recomputing a saved seed that was changed after it was saved: ${file}: its content does not match`),
  );
  assert.deepEqual(computedSeeds(log), ['fx-coin 1']);
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(ref, 'claims.json')));
});

test('merge ignores files that are not seed files and names a truncated seed file', async () => {
  const dir = path.join(base, 'stray');
  fs.cpSync(ref, dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'seeds', 'README.txt'), 'notes\n');
  fs.writeFileSync(path.join(dir, 'seeds', 'smoke', '.DS_Store'), '');
  fs.writeFileSync(path.join(dir, 'seeds/smoke/fx-coin/seed-0001.json.tmp-1-2'), '{');
  fs.mkdirSync(path.join(dir, 'seeds/smoke/fx-coin/old'));
  fs.writeFileSync(path.join(dir, 'seeds/smoke/fx-coin/notes.json'), '[]');
  const a = await mnmHere(['merge', dir, '--out', path.join(base, 'stray-merged'), '--registry', FIXTURES]);
  assert.equal(a.status, 0, a.stderr);
  assert.equal(read(path.join(base, 'stray-merged', 'claims.json')), read(path.join(ref, 'claims.json')));

  const truncated = path.join(dir, 'seeds/smoke/fx-slow/seed-0002.json');
  fs.writeFileSync(truncated, read(truncated).slice(0, 100));
  const b = await mnmHere(['merge', dir, '--out', path.join(base, 'stray-merged-2'), '--registry', FIXTURES]);
  assert.equal(b.status, 2, b.stderr);
  assert.match(b.stderr, /^mnm: merge: 1 saved seed file\(s\) in .*stray cannot be used:\n/);
  assert.match(b.stderr, new RegExp(`\\n  ${truncated}: it is not valid JSON: `));
  assert.doesNotMatch(b.stderr, /^\s+at /m);
});

// Issue 22: locks that are not what mnm writes, and locks this user may not take over.

test('a lock that is a directory is one line naming it (exit 2), and nothing is left beside it', async () => {
  const out = path.join(base, 'lock-dir');
  fs.mkdirSync(path.join(out, LOCK_FILE), { recursive: true });
  const r = await mnmHere(runArgs(out));
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^mnm: --out ${out}: its lock ${out}/\\${LOCK_FILE} is a directory, not a lock file written by mnm; remove it if no mnm is using this folder\\n`,
    ),
  );
  assert.doesNotMatch(r.stderr, /^\s+at /m, 'no stack trace');
  assert.deepEqual(fs.readdirSync(out), [LOCK_FILE], 'no .stale- file, nothing written');
});

test('a lock naming a live process it cannot vouch for (start time in the future, no start ticks) says how to get out', async () => {
  const out = path.join(base, 'lock-future');
  fs.mkdirSync(out);
  const future = new Date(Date.now() + 365 * 86400_000).toISOString();
  // pid 1 runs, but it is no mnm; the lock records no start ticks, so whether it is that run cannot be told.
  fs.writeFileSync(
    path.join(out, LOCK_FILE),
    JSON.stringify({ pid: 1, command: 'mnm run \u001b[31mred', host: os.hostname(), since: future }),
  );
  const r = await mnmHere(runArgs(out));
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /is in use by another mnm: pid 1 on .*, running 'mnm run <U\+001B escape>\[31mred' since /);
  assert.match(
    r.stderr,
    new RegExp(
      `does not record when its process started, so whether pid 1 is that run cannot be told; if that run is gone, delete ${out}/\\${LOCK_FILE}\\)\\.`,
    ),
  );
  assert.doesNotMatch(r.stderr, /\u001b/, 'no raw escape sequence from the lock reaches the terminal');
});

test(
  "a stale lock of another user in a sticky folder: the lock is named as the cause, not the folder's permissions",
  { skip: isRoot ? false : 'running as another user needs root' },
  async (t) => {
    const checkout = checkoutFor('nobody');
    if ('skip' in checkout) {
      t.diagnostic(`skipped: ${checkout.skip}`);
      t.skip(checkout.skip);
      return;
    }
    const out = path.join(base, 'sticky');
    fs.mkdirSync(out);
    fs.chmodSync(out, 0o1777);
    // Root's lock, left by a process that no longer runs.
    const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
    const pid = Number(dead.stdout.trim());
    const lock = path.join(out, LOCK_FILE);
    fs.writeFileSync(
      lock,
      JSON.stringify({ pid, command: 'mnm run', host: os.hostname(), startTicks: 1, since: new Date().toISOString() }),
    );
    const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, ...mnmArgsFrom(checkout.root, runArgs(out))], {
      cwd: checkout.root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `^mnm: --out ${out}: its lock ${lock.replace('.', '\\.')} was left by pid ${pid}, which no longer runs, but this user cannot remove it \\(it belongs to uid 0, and the folder is sticky: only its owner may remove it\\)`,
      ),
    );
    assert.doesNotMatch(r.stderr, /not writable by this user/);
    assert.deepEqual(fs.readdirSync(out), [LOCK_FILE], 'nothing left beside the lock');
  },
);

test('an experiment folder that is a symbolic link is refused, naming the link; nothing is written through it', async () => {
  const out = path.join(base, 'linked');
  const elsewhere = path.join(base, 'elsewhere');
  fs.mkdirSync(out);
  fs.mkdirSync(elsewhere);
  fs.symlinkSync(elsewhere, path.join(out, 'fx-coin'));
  const r = await mnmHere(runArgs(out));
  assert.equal(r.status, 2, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `^mnm: --out ${out}: ${out}/fx-coin is a symbolic link to a folder \\(${elsewhere}\\); results are never written through a link: remove it\\n`,
    ),
  );
  assert.deepEqual(fs.readdirSync(elsewhere), [], 'nothing written through the link');
  assert.deepEqual(fs.readdirSync(out), ['fx-coin'], 'no lock or file left');
  // Where the report is written, the same check (a link made after the folder was opened).
  const { writeExperimentFiles } = await import('../../lib/report/experiment-files');
  await assert.rejects(
    writeExperimentFiles(out, 'fx-coin', { tables: {}, figures: {}, claims: [] }),
    new RegExp(`^WriteError: cannot write ${out}/fx-coin: ${out}/fx-coin is a symbolic link to ${elsewhere}`),
  );
});

test('claims.md escapes HTML in sweep labels as index.html does', async () => {
  const { claimsReportMarkdown } = await import('../../lib/report/claims-markdown');
  const label = 'mode=<img src=x onerror=alert(1)>|`x';
  const claim = { id: `X.c@${label}`, experiment: 'x@config-1', claim: 'c', paper: 'p', measured: 'm', holds: true };
  const md = claimsReportMarkdown({
    kind: 'report',
    scale: 'smoke',
    fingerprints: {},
    seedCounts: {},
    sweep: { experiment: 'x', fixed: {}, list: [{ mode: '<img src=x onerror=alert(1)>|`x' }] },
    experiments: [
      {
        id: 'x@config-1',
        title: `X [${label}]`,
        paper: '-',
        reproduces: 'r',
        notebook: 'n',
        seeds: [0],
        missingSeeds: [],
        tables: [],
        figures: [],
        claims: [claim],
      },
    ],
  });
  // Outside code spans (whose text a viewer shows as it is), no raw HTML.
  assert.doesNotMatch(md.replace(/`[^`\n]*`/g, ''), /<img/, md);
  assert.match(md, /&lt;img src=x onerror=alert\(1\)&gt;/);
});

test('merge of a shard whose seed file is a symbolic link names the link (not "holds no saved seeds")', async () => {
  const out = path.join(base, 'linked-seed');
  fs.cpSync(ref, out, { recursive: true });
  const file = path.join(out, 'seeds/smoke/fx-coin/seed-0001.json');
  const real = path.join(base, 'linked-seed-target.json');
  fs.renameSync(file, real);
  fs.symlinkSync(real, file);
  const r = await mnmHere(['merge', out, '--out', path.join(base, 'linked-seed-merged'), '--registry', FIXTURES]);
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`${file}: is a symbolic link, not a saved seed file \\(copy the file itself\\)`));
  assert.doesNotMatch(r.stderr, /holds no saved seeds/);
  assert.ok(!fs.existsSync(path.join(base, 'linked-seed-merged')), 'nothing written');
});

test('a lock naming pid 0 or a negative pid is not a holder: it is taken over as unreadable, not refused forever', async () => {
  const out = path.join(base, 'lock-pid0');
  fs.mkdirSync(out);
  fs.writeFileSync(
    path.join(out, LOCK_FILE),
    JSON.stringify({ pid: 0, command: 'mnm run', host: os.hostname(), since: new Date().toISOString() }),
  );
  const r = await mnmHere(['run', 'fx-coin', '--registry', FIXTURES, '--scale', 'smoke', '--out', out, '--workers', '0']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /was locked by an unreadable lock, which no longer runs; taking it over/);
  assert.ok(!fs.existsSync(path.join(out, LOCK_FILE)));
  assert.deepEqual(
    fs.readdirSync(out).filter((f) => f.includes('.stale-')),
    [],
  );
});
