/**
 * File helpers: every result file is written to a temporary name, then renamed, so no reader sees half a file.
 * A write that fails throws a WriteError whose message names the file and the real cause (read-only, no
 * space, no permission), found by asking the file system rather than trusting the error code alone.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A file that could not be written; `reason` says why in words (e.g. "the file system is read-only"). */
export class WriteError extends Error {
  override name = 'WriteError';
  constructor(
    readonly file: string,
    readonly reason: string,
    message = `cannot write ${file}: ${reason}`,
  ) {
    super(message);
  }
}

/**
 * Why writing at `target` failed. The error code alone can mislead: Node's recursive mkdir reports ENOENT
 * on a read-only file system, so the nearest existing folder is asked directly (access W_OK answers EROFS
 * even for root) and its free space is read.
 */
export function writeProblem(target: string, err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  const named: Record<string, string> = {
    EROFS: 'the file system is read-only',
    ENOSPC: 'no space left on the device',
    EDQUOT: 'the disk quota is exceeded',
    EACCES: 'permission denied (the folder is not writable by this user)',
    EPERM: 'permission denied (the folder is not writable by this user)',
    ENOTDIR: 'a file stands where a folder is needed',
  };
  if (e?.code && e.code !== 'ENOENT' && named[e.code]) return named[e.code];
  let dir = path.resolve(target);
  while (!fs.existsSync(dir) && path.dirname(dir) !== dir) dir = path.dirname(dir);
  try {
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (a) {
    const code = (a as NodeJS.ErrnoException).code;
    if (code && named[code]) return named[code];
  }
  try {
    const s = fs.statfsSync(dir);
    // blocks = 0: a pseudo file system such as /proc, which has no space to run out of.
    if (s.blocks > 0 && s.bavail === 0) return named.ENOSPC;
    if (s.blocks > 0 && s.files > 0 && s.ffree === 0) return 'no free inodes left on the device';
  } catch {
    // statfs is unavailable here: fall back to the error code
  }
  if (e?.code && named[e.code]) return named[e.code];
  return e?.message ?? String(err);
}

/**
 * mkdir -p, one level at a time: Node's recursive mkdirSync never returns for a path under a read-only
 * pseudo file system such as /proc (it loops), and says ENOENT on a read-only one; a plain mkdir fails at
 * once with the real code. Returns the folders it created, outermost first.
 */
export function mkdirParents(dir: string): string[] {
  const abs = path.resolve(dir);
  const created: string[] = [];
  const parent = path.dirname(abs);
  if (parent !== abs && !fs.existsSync(parent)) created.push(...mkdirParents(parent));
  try {
    fs.mkdirSync(abs);
    created.push(abs);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  return created;
}

/** Writes through a temporary file in the same folder, then renames it into place. Throws a WriteError. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const tmp = `${file}${TMP_MARK}${process.pid}-${Math.floor(performance.now() * 1000)}`;
  try {
    mkdirParents(path.dirname(file));
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    try {
      fs.rmSync(tmp, { force: true });
    } catch {
      // on a read-only file system there is nothing to remove
    }
    throw new WriteError(file, writeProblem(file, err));
  }
}

/** What the temporary files of writeFileAtomic carry in their names (`FILE.tmp-PID-N`). */
export const TMP_MARK = '.tmp-';

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Reads and parses a JSON file, naming the file in any error. */
export function readJson<T = unknown>(file: string): T {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new Error(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return JSON.parse(text) as T;
  } catch (err) {
    throw new Error(`${file} is not valid JSON: ${(err as Error).message}`);
  }
}
