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
    return Number.isInteger(h?.pid) ? h : null;
  } catch {
    return null;
  }
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
      throw new UsageError(
        `${flag} ${dir} is in use by another mnm: pid ${holder.pid} on ${holder.host}, running '${holder.command}' since ${holder.since}. ` +
          `Wait for it to finish, or choose another folder${holder.host === os.hostname() ? '' : ` (if that run is gone, delete ${lock})`}.`,
      );
    }
    // Stale: move it aside under a name of our own, check it is the one judged stale, then retry.
    const aside = `${lock}.stale-${process.pid}`;
    try {
      fs.renameSync(lock, aside);
    } catch (err) {
      if (!fs.existsSync(lock)) continue; // released meanwhile
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
  return { dir: abs, release };
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
