/**
 * Load (issue 15): `mnm run --scale smoke` on every experiment, 20 times in a row, each stopped by SIGINT or
 * SIGKILL after 1 to 10 s (drawn from a seeded generator, so the schedule is the same on every machine),
 * then resumed to the end. The results must equal a clean run byte for byte, the folder must hold exactly
 * the files of a clean run (no temporary file, no lock), and no run may use more memory or file handles
 * than the clean one (nothing accumulates across restarts).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, test } from 'node:test';
import { Rng } from '../../lib/rng';
import { mnmArgs, read, ROOT, savedResults, tmpDir } from './helpers';

const base = tmpDir('load');
const running = new Set<ChildProcess>();
after(() => {
  for (const c of running) c.kill('SIGKILL'); // a timed-out test leaves no run behind
  fs.rmSync(base, { recursive: true, force: true });
});

const ROUNDS = 20;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** Peak resident memory (kB, VmHWM) and most open file descriptors seen while it ran. */
  peakKb: number;
  maxFds: number;
  seconds: number;
}

/** Runs `mnm run --scale smoke --out out`, sending `signal` after `afterMs` if it is still running. */
function run(out: string, stop?: { signal: NodeJS.Signals; afterMs: number }): Promise<Ran> {
  const child = spawn(process.execPath, mnmArgs(['run', '--scale', 'smoke', '--out', out]), { cwd: ROOT });
  running.add(child);
  const t0 = performance.now();
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.resume();
  let peakKb = 0;
  let maxFds = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
      maxFds = Math.max(maxFds, fs.readdirSync(`/proc/${child.pid}/fd`).length);
    } catch {
      // exited between the samples
    }
  };
  const sampler = setInterval(sample, 100);
  const timer = stop ? setTimeout(() => child.kill(stop.signal), stop.afterMs) : undefined;
  return new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      clearInterval(sampler);
      clearTimeout(timer);
      running.delete(child);
      resolve({ code, signal, stderr, peakKb, maxFds, seconds: (performance.now() - t0) / 1000 });
    }),
  );
}

/** Every file under a folder, relative, sorted. */
function files(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true, withFileTypes: true }) as fs.Dirent[])
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

// The bound is generous: about 4 min on a quiet 2-core machine, but a clean smoke run of every experiment
// took 46–61 s at load 7–10 and a Ctrl-C waits for the report being drawn in the main thread.
test(`${ROUNDS} smoke runs stopped by SIGINT or SIGKILL after 1-10 s, then resumed, equal a clean run`, { timeout: 540_000 }, async () => {
  const clean = path.join(base, 'clean');
  const ref = await run(clean);
  assert.equal(ref.code, 0, ref.stderr);
  const log: string[] = [];
  // Progress goes to stderr as it happens, so that a run that times out shows how far it got.
  const say = (line: string) => {
    log.push(line);
    process.stderr.write(`[load] ${line}\n`);
  };
  say(`clean run: ${ref.seconds.toFixed(1)} s, peak ${ref.peakKb} kB, ${ref.maxFds} fds (load average ${os.loadavg()[0].toFixed(1)})`);

  const out = path.join(base, 'stopped');
  const rng = new Rng('issue-15-load-test');
  for (let i = 0; i < ROUNDS; i++) {
    const signal: NodeJS.Signals = rng.uniform() < 0.5 ? 'SIGINT' : 'SIGKILL';
    const afterMs = Math.round(rng.range(1000, 10000));
    const r = await run(out, { signal, afterMs });
    say(
      `${i + 1}: ${signal} after ${afterMs} ms → ${r.signal ?? `exit ${r.code}`} at ${r.seconds.toFixed(1)} s, peak ${r.peakKb} kB, ${r.maxFds} fds`,
    );
    // Finished before the signal (0), stopped by Ctrl-C keeping its seeds (130), or killed by a signal.
    assert.ok(r.code === 0 || r.code === 130 || r.signal !== null, `${log.at(-1)}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `a stack trace in round ${i + 1}:\n${r.stderr}`);
    assert.ok(r.maxFds <= ref.maxFds + 8, `round ${i + 1}: ${r.maxFds} open files against ${ref.maxFds} in a clean run\n${log.join('\n')}`);
    assert.ok(
      r.peakKb <= ref.peakKb * 1.5,
      `round ${i + 1}: peak ${r.peakKb} kB against ${ref.peakKb} kB in a clean run\n${log.join('\n')}`,
    );
  }
  const last = await run(out);
  say(`resume: exit ${last.code} at ${last.seconds.toFixed(1)} s, peak ${last.peakKb} kB, ${last.maxFds} fds`);
  assert.equal(last.code, 0, `${last.stderr}\n${log.join('\n')}`);
  assert.equal(read(path.join(out, 'claims.json')), read(path.join(clean, 'claims.json')), log.join('\n'));
  assert.deepEqual(savedResults(out), savedResults(clean));
  // Exactly the files of a clean run: no temporary file, no lock, nothing left over from the stopped runs.
  assert.deepEqual(files(out), files(clean), log.join('\n'));
  assert.ok(last.maxFds <= ref.maxFds + 8 && last.peakKb <= ref.peakKb * 1.5, log.join('\n'));
  // The schedule really stopped runs midway, both ways.
  assert.ok(
    log.some((l) => / SIGKILL after .* → SIGKILL/.test(l)) && log.some((l) => / SIGINT after .* → (exit 130|SIGINT)/.test(l)),
    log.join('\n'),
  );
});
