/**
 * The MDP exchange format of ../shared/bench/README.md, read by the benchmark peers:
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
import { makeMDP, type Row, type TabularMDP } from './mdp';

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

function readBinary(dir: string, name: string, bytes: number): DataView {
  const file = path.join(dir, name);
  let buf: Buffer;
  try {
    buf = fs.readFileSync(file);
  } catch (err) {
    throw new Error(`${file}: cannot read (${(err as Error).message})`);
  }
  if (buf.length !== bytes) throw new Error(`${file}: has ${buf.length} bytes, expected ${bytes} from meta.json`);
  return new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
}

/** Reads an exchange folder back into a validated MDP (padding dropped; start state `p0`, default 0). */
export function importExchange(dir: string, p0: number | ArrayLike<number> = 0): TabularMDP {
  const metaFile = path.join(dir, 'meta.json');
  let meta: ExchangeMeta;
  try {
    meta = JSON.parse(fs.readFileSync(metaFile, 'utf8')) as ExchangeMeta;
  } catch (err) {
    throw new Error(`${metaFile}: cannot read (${(err as Error).message})`);
  }
  for (const k of ['states', 'actions', 'successors'] as const) {
    if (!(Number.isInteger(meta[k]) && meta[k] > 0)) throw new Error(`${metaFile}: '${k}' must be a positive integer, got ${meta[k]}`);
  }
  const { states: S, actions: A, successors: K, gamma } = meta;
  const nx = readBinary(dir, 'next.i32', S * A * K * 4);
  const pr = readBinary(dir, 'prob.f64', S * A * K * 8);
  const rw = readBinary(dir, 'reward.f64', S * A * 8);
  const rows: Row[][] = [];
  const reward = new Float64Array(S * A);
  for (let s = 0; s < S; s++) {
    const actions: Row[] = [];
    for (let a = 0; a < A; a++) {
      const i = s * A + a;
      const next: number[] = [];
      const prob: number[] = [];
      for (let j = 0; j < K; j++) {
        const p = pr.getFloat64((i * K + j) * 8, true);
        if (p === 0) continue;
        next.push(nx.getInt32((i * K + j) * 4, true));
        prob.push(p);
      }
      actions.push({ next, prob });
      reward[i] = rw.getFloat64(i * 8, true);
    }
    rows.push(actions);
  }
  return makeMDP({ S, A, rows, reward, gamma, p0 });
}
