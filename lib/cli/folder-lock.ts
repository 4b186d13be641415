/**
 * Opening a results folder for writing: create it, prove it is writable, and take its advisory lock, a
 * file naming the holder (pid, command, host, start time). A second mnm that writes to the same folder
 * refuses, naming the holder; a lock left by a process that no longer runs (SIGKILL, power loss) is
 * taken over. While the lock is held, temporary files left in the folder by a killed writer are removed.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mkdirParents, TMP_MARK, writeProblem } from '../io';
import { showText } from '../show';
import { UsageError } from './errors';
import { note } from './output';

export const LOCK_FILE = '.mnm-lock';

interface Holder {
  pid: number;
  command: string;
  host: string;
  /** Start time of the process (Linux clock ticks since boot): tells a live holder from a reused pid. */
  startTicks?: number;
  since: string;
}

let command = `mnm ${process.argv.slice(2).join(' ')}`;
/** The command line recorded in locks (set by the `mnm` entry point). */
export function setLockCommand(argv: string[]): void {
  command = ['mnm', ...argv].map((a) => (/^[\w./=:@-]+$/.test(a) ? a : JSON.stringify(a))).join(' ');
}

function startTicks(pid: number): number | undefined {
  try {
    // Field 22 of /proc/PID/stat, counted after the command name (which may hold spaces) in parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
  } catch {
    return undefined;
  }
}

function isAlive(h: Holder): boolean {
  if (h.host !== os.hostname()) return true; // cannot tell from here: assume it runs
  try {
    process.kill(h.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const ticks = startTicks(h.pid);
  return h.startTicks === undefined || ticks === undefined || ticks === h.startTicks;
}

function readHolder(file: string): Holder | null {
  try {
    const h = JSON.parse(fs.readFileSync(file, 'utf8')) as Holder;
    const ok =
      Number.isSafeInteger(h?.pid) &&
      h.pid > 0 &&
      typeof h.command === 'string' &&
      typeof h.host === 'string' &&
      typeof h.since === 'string';
    return ok ? h : null;
  } catch {
    return null;
  }
}

/** Whether a live holder's lock can be trusted to be its own: it records its start ticks and a start time not in the future. */
function verifiable(h: Holder): boolean {
  const since = Date.parse(h.since);
  return h.host === os.hostname() && Number.isSafeInteger(h.startTicks) && since <= Date.now() + 60_000;
}

function sleepMs(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export interface OpenFolder {
  /** Absolute path of the folder. */
  dir: string;
  /** Drops the lock, and the folder itself when this call created it and nothing was written. */
  release(): void;
}

/** Creates, locks and tidies a results folder; every problem is one UsageError naming `flag` and the folder. */
export function openResultsFolder(dir: string, flag = '--out'): OpenFolder {
  const abs = path.resolve(dir);
  let created: string[];
  try {
    created = mkdirParents(abs);
  } catch (err) {
    throw new UsageError(`${flag} ${dir}: cannot write there (${writeProblem(abs, err)})`);
  }
  const removeCreated = () => {
    for (const d of [...created].reverse()) {
      try {
        fs.rmdirSync(d); // only succeeds when empty
      } catch {
        break;
      }
    }
  };
  const lock = path.join(abs, LOCK_FILE);
  const me: Holder = {
    pid: process.pid,
    command,
    host: os.hostname(),
    startTicks: startTicks(process.pid),
    since: new Date().toISOString(),
  };
  // A lock that is not a file (a directory, a link) was not written by mnm: say so, never move it aside.
  const kind = fs.lstatSync(lock, { throwIfNoEntry: false });
  if (kind && !kind.isFile()) {
    removeCreated();
    throw new UsageError(
      `${flag} ${dir}: its lock ${lock} is a ${kind.isDirectory() ? 'directory' : kind.isSymbolicLink() ? 'symbolic link' : 'special file'}, not a lock file written by mnm; remove it if no mnm is using this folder`,
    );
  }
  for (let attempt = 0; ; attempt++) {
    if (attempt > 100) throw new UsageError(`${flag} ${dir}: could not take its lock ${lock} (other processes keep changing it)`);
    try {
      fs.writeFileSync(lock, JSON.stringify(me) + '\n', { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        removeCreated();
        throw new UsageError(`${flag} ${dir}: cannot write there (${writeProblem(lock, err)})`);
      }
    }
    const holder = readHolder(lock);
    const mtime = fs.statSync(lock, { throwIfNoEntry: false })?.mtimeMs;
    if (mtime === undefined) continue; // released meanwhile
    const age = Date.now() - mtime;
    if (holder === null && age < 2000 && attempt < 40) {
      sleepMs(50); // being written right now
      continue;
    }
    if (holder && isAlive(holder)) {
      // A lock that cannot be checked (another host, no start ticks, a start time in the future) gets the way out too.
      const why = verifiable(holder)
        ? ''
        : holder.host !== os.hostname()
          ? ` (if that run is gone, delete ${lock})`
          : ` (the lock ${Number.isSafeInteger(holder.startTicks) ? `says it started in the future, ${showText(holder.since)}` : 'does not record when its process started'}, so whether pid ${holder.pid} is that run cannot be told; if that run is gone, delete ${lock})`;
      throw new UsageError(
        `${flag} ${dir} is in use by another mnm: pid ${holder.pid} on ${showText(holder.host, 100)}, running ${showText(holder.command, 300)} since ${showText(holder.since, 40).slice(1, -1)}. ` +
          `Wait for it to finish, or choose another folder${why}.`,
      );
    }
    // Stale: move it aside under a name of our own, check it is the one judged stale, then retry.
    const aside = `${lock}.stale-${process.pid}`;
    try {
      fs.renameSync(lock, aside);
    } catch (err) {
      if (!fs.existsSync(lock)) continue; // released meanwhile
      const code = (err as NodeJS.ErrnoException).code;
      if ((code === 'EACCES' || code === 'EPERM') && writable(abs)) {
        // The folder may well be writable: it is the stale lock this user may not move (another user's, in a sticky folder).
        const owner = fs.statSync(lock, { throwIfNoEntry: false })?.uid;
        const sticky = ((fs.statSync(abs, { throwIfNoEntry: false })?.mode ?? 0) & 0o1000) !== 0;
        throw new UsageError(
          `${flag} ${dir}: its lock ${lock} was left by ${holder ? `pid ${holder.pid}` : 'a process'}, which no longer runs, but this user cannot remove it` +
            ` (it belongs to uid ${owner}${sticky ? ', and the folder is sticky: only its owner may remove it' : ''}); ask its owner to delete it, or choose another folder`,
        );
      }
      throw new UsageError(`${flag} ${dir}: cannot write there (${writeProblem(lock, err)})`);
    }
    const moved = readHolder(aside);
    if (moved && holder && moved.pid !== holder.pid && !fs.existsSync(lock))
      fs.renameSync(aside, lock); // a live lock: put it back
    else fs.rmSync(aside, { force: true });
    note(
      `mnm: ${dir} was locked by ${holder ? `pid ${holder.pid} ('${holder.command}')` : 'an unreadable lock'}, which no longer runs; taking it over`,
    );
  }
  removeStaleTemporaries(abs);
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    try {
      if (readHolder(lock)?.pid === process.pid) fs.rmSync(lock, { force: true });
    } catch {
      // read-only by now: the next run sees a dead holder and takes over
    }
    removeCreated();
  };
  // process.exit (a second Ctrl-C) skips finally blocks; the exit event still runs.
  process.on('exit', release);
  // A folder inside that is a link would have the report written through it, outside this folder: refused up front
  // (lib/report/experiment-files checks again where it writes).
  const linked = fs.readdirSync(abs, { withFileTypes: true }).find((e) => e.isSymbolicLink() && isFolder(path.join(abs, e.name)));
  if (linked) {
    release();
    const link = path.join(abs, linked.name);
    throw new UsageError(
      `${flag} ${dir}: ${link} is a symbolic link to a folder (${fs.readlinkSync(link)}); results are never written through a link: remove it`,
    );
  }
  return { dir: abs, release };
}

function writable(dir: string): boolean {
  try {
    fs.accessSync(dir, fs.constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

function isFolder(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** Temporary files of writeFileAtomic (`NAME.tmp-PID-N`) left by a writer that was killed. */
function removeStaleTemporaries(dir: string): void {
  const pattern = new RegExp(`${TMP_MARK.replace('.', '\\.')}\\d+-\\d+$`);
  const walk = (d: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pattern.test(e.name)) fs.rmSync(p, { force: true });
    }
  };
  walk(dir);
}
