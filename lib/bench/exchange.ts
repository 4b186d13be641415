/**
 * The MDP exchange format of ../shared/bench/README.md, read by the benchmark peers (numpy, C):
 *   meta.json   {"states": S, "actions": A, "successors": K, "gamma": γ}
 *   next.i32    int32   [S][A][K]  successor indices (rows padded to K)
 *   prob.f64    float64 [S][A][K]  their probabilities (padding has probability 0)
 *   reward.f64  float64 [S][A]     r(s, a)
 * All little-endian. Padding repeats the row's first successor with probability 0 (any valid index works).
 * The format is dense in K, not in S: K is the longest row, so a gridworld stores 5 successors per (s, a).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../io';
import { makeMDPFromArrays, type TabularMDP } from '../tabular/mdp';

export interface ExchangeMeta {
  states: number;
  actions: number;
  successors: number;
  gamma: number;
}

/** Writes the MDP into `dir` (created if missing). The initial distribution is not part of the format. */
export function exportExchange(mdp: TabularMDP, dir: string): ExchangeMeta {
  const { S, A, rowStart, next, prob, reward, gamma } = mdp;
  let K = 0;
  for (let i = 0; i < S * A; i++) K = Math.max(K, rowStart[i + 1] - rowStart[i]);
  const nextOut = new DataView(new ArrayBuffer(S * A * K * 4));
  const probOut = new DataView(new ArrayBuffer(S * A * K * 8));
  for (let i = 0; i < S * A; i++) {
    const lo = rowStart[i];
    const n = rowStart[i + 1] - lo;
    for (let j = 0; j < K; j++) {
      const o = i * K + j;
      nextOut.setInt32(o * 4, j < n ? next[lo + j] : next[lo], true);
      probOut.setFloat64(o * 8, j < n ? prob[lo + j] : 0, true);
    }
  }
  const rewardOut = new DataView(new ArrayBuffer(S * A * 8));
  for (let i = 0; i < S * A; i++) rewardOut.setFloat64(i * 8, reward[i], true);
  fs.mkdirSync(dir, { recursive: true });
  const meta: ExchangeMeta = { states: S, actions: A, successors: K, gamma };
  writeFileAtomic(path.join(dir, 'next.i32'), new Uint8Array(nextOut.buffer));
  writeFileAtomic(path.join(dir, 'prob.f64'), new Uint8Array(probOut.buffer));
  writeFileAtomic(path.join(dir, 'reward.f64'), new Uint8Array(rewardOut.buffer));
  writeJsonAtomic(path.join(dir, 'meta.json'), meta);
  return meta;
}

/** The one schema of meta.json: each key, and what its value must be. */
const META_SCHEMA: Record<keyof ExchangeMeta, { test: (v: number) => boolean; what: string }> = {
  states: { test: (v) => Number.isInteger(v) && v > 0, what: 'a positive integer' },
  actions: { test: (v) => Number.isInteger(v) && v > 0, what: 'a positive integer' },
  successors: { test: (v) => Number.isInteger(v) && v > 0, what: 'a positive integer' },
  gamma: { test: (v) => v > 0 && v < 1, what: 'a number in (0, 1)' },
};

/** Reads and validates meta.json; every error names the file. */
export function readExchangeMeta(dir: string): ExchangeMeta {
  const file = path.join(dir, 'meta.json');
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new Error(`${file}: must be a JSON object {"states", "actions", "successors", "gamma"}, got ${JSON.stringify(raw)}`);
  const obj = raw as Record<string, unknown>;
  const unknown = Object.keys(obj).filter((k) => !(k in META_SCHEMA));
  if (unknown.length)
    throw new Error(`${file}: unknown key(s) ${unknown.map((k) => `'${k}'`).join(', ')} (expected ${Object.keys(META_SCHEMA).join(', ')})`);
  for (const [key, rule] of Object.entries(META_SCHEMA)) {
    const v = obj[key];
    if (v === undefined) throw new Error(`${file}: '${key}' is missing (${rule.what})`);
    if (typeof v !== 'number' || !rule.test(v)) throw new Error(`${file}: '${key}' must be ${rule.what}, got ${JSON.stringify(v)}`);
  }
  if ((obj.states! as number) > 2 ** 31 - 1) throw new Error(`${file}: 'states' must be below 2^31 (int32 indices), got ${obj.states}`);
  return obj as unknown as ExchangeMeta;
}

function readBinary(dir: string, name: string, count: number, bytesEach: number, sizes: string): DataView {
  const file = path.join(dir, name);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  if (buf.length !== count * bytesEach)
    throw new Error(
      `${file}: has ${buf.length} bytes, but ${path.join(dir, 'meta.json')} gives ${sizes} = ${count} entries of ${bytesEach} bytes (${count * bytesEach})`,
    );
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/**
 * Reads an exchange folder back into a validated MDP (padding dropped; start state `p0`, default 0). Every
 * error names the file (meta.json's shape, an array's size) or the folder (what the arrays hold).
 */
export function importExchange(dir: string, p0: number | ArrayLike<number> = 0): TabularMDP {
  const { states: S, actions: A, successors: K, gamma } = readExchangeMeta(dir);
  const nx = readBinary(dir, 'next.i32', S * A * K, 4, `states × actions × successors = ${S}×${A}×${K}`);
  const pr = readBinary(dir, 'prob.f64', S * A * K, 8, `states × actions × successors = ${S}×${A}×${K}`);
  const rw = readBinary(dir, 'reward.f64', S * A, 8, `states × actions = ${S}×${A}`);
  // Compressed rows straight from the padded arrays (entries of probability 0 are padding).
  const rowStart = new Int32Array(S * A + 1);
  for (let i = 0; i < S * A; i++) {
    let n = 0;
    for (let j = 0; j < K; j++) if (pr.getFloat64((i * K + j) * 8, true) !== 0) n++;
    rowStart[i + 1] = rowStart[i] + n;
  }
  const next = new Int32Array(rowStart[S * A]);
  const prob = new Float64Array(rowStart[S * A]);
  const reward = new Float64Array(S * A);
  for (let i = 0, k = 0; i < S * A; i++) {
    for (let j = 0; j < K; j++) {
      const p = pr.getFloat64((i * K + j) * 8, true);
      if (p === 0) continue;
      next[k] = nx.getInt32((i * K + j) * 4, true);
      prob[k++] = p;
    }
    reward[i] = rw.getFloat64(i * 8, true);
  }
  try {
    return makeMDPFromArrays(S, A, rowStart, next, prob, { reward, gamma, p0 });
  } catch (err) {
    throw new Error(`${dir} (next.i32, prob.f64, reward.f64): ${(err as Error).message}`);
  }
}
