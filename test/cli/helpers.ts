/** Runs the real `mnm` command in a child process against the fixture experiments. */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { cli } from '../../lib/cli/main';
import { output } from '../../lib/cli/output';

export const ROOT = path.resolve(__dirname, '..', '..');
export const MAIN = path.join(ROOT, 'lib', 'cli', 'main.ts');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli', 'experiments.ts');
export const BAD_FIXTURES = path.join(ROOT, 'test', 'fixtures', 'cli', 'bad-experiments.ts');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function mnmArgs(args: string[]): string[] {
  return ['--import', 'tsx', MAIN, ...args];
}

export function mnm(args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const r = spawnSync(process.execPath, mnmArgs(args), { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * The same command in this process (cheaper than a child: no second start of Node, tsx and Polars),
 * with what it writes captured (lib/cli/output) and the environment variables set for the duration.
 */
export async function mnmHere(args: string[], env: Record<string, string> = {}): Promise<Ran> {
  const sink = () => {
    const chunks: string[] = [];
    return {
      chunks,
      stream: { isTTY: false, write: (c: string | Uint8Array) => chunks.push(String(c)) > 0 } as unknown as NodeJS.WritableStream,
    };
  };
  const out = sink();
  const err = sink();
  const saved = { ...output };
  const savedEnv = { ...process.env };
  output.stdout = out.stream;
  output.stderr = err.stream;
  Object.assign(process.env, env);
  try {
    const status = await cli(args);
    return { status, stdout: out.chunks.join(''), stderr: err.chunks.join('') };
  } finally {
    Object.assign(output, saved);
    for (const k of Object.keys(env)) {
      if (savedEnv[k] === undefined) delete process.env[k];
      else process.env[k] = savedEnv[k];
    }
  }
}

/** `mnm run` on the fixture registry at smoke scale, plus any extra flags (in this process). */
export function runFixtures(out: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Ran> {
  return mnmHere(['run', '--registry', FIXTURES, '--scale', 'smoke', '--out', out, ...extra], env);
}

export function tmpDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `mnm-${label}-`));
}

/** Lines of the fixture's seed log: one `experiment seed` per seed actually computed. */
export function computedSeeds(logFile: string): string[] {
  return fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean).sort() : [];
}

/** Every saved seed's result, keyed by file, for comparing folders. */
export function savedResults(dir: string): Record<string, unknown> {
  const root = path.join(dir, 'seeds');
  const out: Record<string, unknown> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(root, p)] = JSON.parse(fs.readFileSync(p, 'utf8')).result;
    }
  };
  walk(root);
  return out;
}

export const read = (file: string) => fs.readFileSync(file, 'utf8');
