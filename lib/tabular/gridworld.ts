/**
 * Gridworlds from ASCII maps, as sparse tabular MDPs.
 *
 * Map format (files in data/, e.g. data/e1-open-10x10.txt):
 *
 *   // optional comment lines
 *   noise: 0.2            optional header lines `key: value`, before the grid
 *   gamma: 0.95
 *   reward.free: 0.01
 *   reward.goal: 1
 *
 *   #..S
 *   #..G
 *
 * Cells: `#` wall, `.` free, `S` start (exactly one), `G` goal (exactly one), and any lowercase letter
 * `a`–`z` for a free cell with its own reward, declared in the header as `reward.<letter>: value`.
 * Header keys: `noise` (ε in [0, 1]), `gamma` (in (0, 1)), `reward.free`, `reward.start` (defaults to
 * reward.free), `reward.goal`, `reward.<letter>`. Rewards must be finite and > 0 (MnM takes log r).
 * Blank lines are allowed before and after the grid; the grid rows must all have the same width.
 * Every parse error names `source:line:col` and what is wrong.
 *
 * Pure (no Node modules) so the browser playground bundles it; reading map files is in map-files.ts.
 *
 * Dynamics: actions 0..3 = up, down, left, right (`MOVES`). With probability 1−ε the intended move,
 * with probability ε a uniformly chosen one of the 4 moves (so the intended move has total probability
 * 1 − ε + ε/4); a move into a wall or off the grid stays put. Duplicate successors are merged.
 * The goal is absorbing: every action in the goal stays there and earns the goal reward each step,
 * so the discounted return rewards reaching it early. r(s, a) = the reward of the cell of s.
 */
import { makeMDPFromArrays, type TabularMDP } from './mdp';

export const MOVES = ['up', 'down', 'left', 'right'] as const;
export type Move = 0 | 1 | 2 | 3;
const DR = [-1, 1, 0, 0];
const DC = [0, 0, -1, 1];

/** Defaults used when neither the map header nor the options set a value. */
export const GRID_DEFAULTS = { noise: 0.2, gamma: 0.95, rewardFree: 0.01, rewardGoal: 1 } as const;

export interface GridMap {
  /** Where the map came from (file name or a label), used in error messages. */
  source: string;
  rows: number;
  cols: number;
  /** One string per grid row, each `cols` characters long. */
  cells: string[];
  start: [number, number];
  goal: [number, number];
  /** Header values (undefined where the header did not set them). */
  noise?: number;
  gamma?: number;
  /** Reward per cell kind: '.', 'S', 'G' and declared letters. */
  rewards: Record<string, number>;
}

export interface GridOptions {
  /** ε: probability that the move is replaced by a uniformly chosen one of the 4 moves. */
  noise?: number;
  gamma?: number;
  /** Overrides of the per-cell-kind rewards ('.', 'S', 'G', letters). */
  rewards?: Record<string, number>;
}

export interface Gridworld {
  map: GridMap;
  mdp: TabularMDP;
  noise: number;
  rows: number;
  cols: number;
  /** State indices of the start and goal cells. */
  start: number;
  goal: number;
  cellOf(s: number): [number, number];
  /** The state at (row, col), or -1 for a wall or a cell off the grid. */
  stateAt(row: number, col: number): number;
  /** The deterministic result of `move` from s under the dynamics (blocked → s; the goal → the goal). */
  moveTarget(s: number, move: number): number;
}

const HEADER_RE = /^([A-Za-z][\w.-]*)\s*:\s*(.*)$/;

function parseNumber(text: string, where: string, key: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new Error(`${where}: ${key} must be a finite number, got '${text}'`);
  return v;
}

/** Parses a map; errors name `source:line:col`. */
export function parseGridMap(text: string, source: string): GridMap {
  const lines = text.split(/\r?\n/);
  const rewards: Record<string, number> = {};
  const rewardLine: Record<string, string> = {};
  let noise: number | undefined;
  let gamma: number | undefined;
  const grid: { text: string; line: number }[] = [];
  let gridEnded = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const ln = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') {
      if (grid.length > 0) gridEnded = true;
      continue;
    }
    if (grid.length === 0 && trimmed.startsWith('//')) continue;
    const h = grid.length === 0 ? HEADER_RE.exec(line) : null;
    if (h) {
      const key = h[1];
      const valueCol = line.length - h[2].length + 1;
      const where = `${source}:${ln}:${valueCol}`;
      if (key === 'noise') {
        noise = parseNumber(h[2], where, key);
        if (!(noise >= 0 && noise <= 1)) throw new Error(`${where}: noise must be in [0, 1], got ${noise}`);
      } else if (key === 'gamma') {
        gamma = parseNumber(h[2], where, key);
        if (!(gamma > 0 && gamma < 1)) throw new Error(`${where}: gamma must be in (0, 1), got ${gamma}`);
      } else if (key.startsWith('reward.')) {
        const kind = key.slice('reward.'.length);
        const cell = kind === 'free' ? '.' : kind === 'start' ? 'S' : kind === 'goal' ? 'G' : /^[a-z]$/.test(kind) ? kind : null;
        if (cell === null) {
          throw new Error(`${source}:${ln}:1: unknown reward kind '${kind}' (expected free, start, goal or a lowercase letter a-z)`);
        }
        const r = parseNumber(h[2], where, key);
        if (!(r > 0)) throw new Error(`${where}: ${key} must be > 0 (MnM takes log r), got ${r}`);
        rewards[cell] = r;
        rewardLine[cell] = where;
      } else {
        throw new Error(
          `${source}:${ln}:1: unknown header key '${key}' (expected noise, gamma, reward.free, reward.start, reward.goal or reward.<letter>)`,
        );
      }
      continue;
    }
    if (gridEnded) throw new Error(`${source}:${ln}:1: unexpected text after the grid ended at a blank line`);
    grid.push({ text: line.replace(/\s+$/, ''), line: ln });
  }
  if (grid.length === 0) throw new Error(`${source}: no grid rows found`);
  const cols = grid[0].text.length;
  let start: [number, number] | null = null;
  let goal: [number, number] | null = null;
  let startAt = '';
  let goalAt = '';
  for (let r = 0; r < grid.length; r++) {
    const { text: row, line } = grid[r];
    if (row.length !== cols) {
      const col = Math.min(row.length, cols) + 1;
      throw new Error(
        `${source}:${line}:${col}: grid row has width ${row.length}, expected ${cols} (the width of the first row, line ${grid[0].line})`,
      );
    }
    for (let c = 0; c < cols; c++) {
      const ch = row[c];
      const where = `${source}:${line}:${c + 1}`;
      if (ch === '#' || ch === '.') continue;
      if (ch === 'S') {
        if (start) throw new Error(`${where}: second start cell 'S' (the first is at ${startAt})`);
        start = [r, c];
        startAt = where;
      } else if (ch === 'G') {
        if (goal) throw new Error(`${where}: second goal cell 'G' (the first is at ${goalAt})`);
        goal = [r, c];
        goalAt = where;
      } else if (/^[a-z]$/.test(ch)) {
        if (rewards[ch] === undefined) throw new Error(`${where}: cell '${ch}' has no reward; declare 'reward.${ch}: value' in the header`);
      } else {
        throw new Error(`${where}: unknown cell '${ch}' (expected '#', '.', 'S', 'G' or a declared lowercase letter)`);
      }
    }
  }
  if (!start) throw new Error(`${source}: the map has no start cell 'S'`);
  if (!goal) throw new Error(`${source}: the map has no goal cell 'G'`);
  return { source, rows: grid.length, cols, cells: grid.map((g) => g.text), start, goal, noise, gamma, rewards };
}

/** An open rows×cols map built in code (no walls); start and goal default to opposite corners. */
export function openGridMap(
  rows: number,
  cols: number,
  start: [number, number] = [0, 0],
  goal: [number, number] = [rows - 1, cols - 1],
): GridMap {
  if (!(Number.isInteger(rows) && rows > 0 && Number.isInteger(cols) && cols > 0)) {
    throw new Error(`openGridMap: size must be positive integers, got ${rows}×${cols}`);
  }
  const inside = (p: [number, number]) =>
    Number.isInteger(p[0]) && Number.isInteger(p[1]) && p[0] >= 0 && p[0] < rows && p[1] >= 0 && p[1] < cols;
  if (!inside(start)) throw new Error(`openGridMap: start (${start}) is outside the ${rows}×${cols} grid`);
  if (!inside(goal)) throw new Error(`openGridMap: goal (${goal}) is outside the ${rows}×${cols} grid`);
  if (start[0] === goal[0] && start[1] === goal[1]) throw new Error(`openGridMap: start and goal are the same cell (${start})`);
  const cells: string[] = [];
  for (let r = 0; r < rows; r++) {
    const row = new Array<string>(cols).fill('.');
    if (r === start[0]) row[start[1]] = 'S';
    if (r === goal[0]) row[goal[1]] = 'G';
    cells.push(row.join(''));
  }
  return { source: `open ${rows}x${cols}`, rows, cols, cells, start, goal, rewards: {} };
}

/**
 * A goal the start cannot reach makes every objective constant in the policy: refuse the map, naming it and
 * the unreachable free cells (the first few of them, and how many).
 */
function checkGoalReachable(
  map: GridMap,
  start: number,
  goal: number,
  targets: Int32Array,
  cellRow: Int32Array,
  cellCol: Int32Array,
): void {
  const S = cellRow.length;
  const seen = new Uint8Array(S);
  const queue = new Int32Array(S);
  let head = 0;
  let tail = 0;
  seen[start] = 1;
  queue[tail++] = start;
  while (head < tail) {
    const s = queue[head++];
    for (let m = 0; m < 4; m++) {
      const t = targets[s * 4 + m];
      if (!seen[t]) {
        seen[t] = 1;
        queue[tail++] = t;
      }
    }
  }
  if (seen[goal]) return;
  const cell = (s: number) => `(${cellRow[s]},${cellCol[s]})`;
  const unreachable: string[] = [];
  for (let s = 0; s < S && unreachable.length < 10; s++) if (!seen[s]) unreachable.push(cell(s));
  const more = S - tail > unreachable.length ? `, ... (${S - tail} in all)` : '';
  throw new Error(
    `${map.source}: the goal ${cell(goal)} cannot be reached from the start ${cell(start)}; unreachable cells (row,col): ${unreachable.join(' ')}${more}`,
  );
}

/** The noisy gridworld MDP of a map. Options override the map header, which overrides GRID_DEFAULTS. */
export function makeGridworld(map: GridMap, opts: GridOptions = {}): Gridworld {
  const noise = opts.noise ?? map.noise ?? GRID_DEFAULTS.noise;
  const gamma = opts.gamma ?? map.gamma ?? GRID_DEFAULTS.gamma;
  const where = `gridworld ${map.source}`;
  if (!(noise >= 0 && noise <= 1)) throw new Error(`${where}: noise must be in [0, 1], got ${noise}`);
  if (!(gamma > 0 && gamma < 1)) throw new Error(`${where}: gamma must be in (0, 1), got ${gamma}`);
  const rewards: Record<string, number> = {
    '.': GRID_DEFAULTS.rewardFree,
    G: GRID_DEFAULTS.rewardGoal,
    ...map.rewards,
    ...(opts.rewards ?? {}),
  };
  if (rewards.S === undefined) rewards.S = rewards['.'];
  for (const [kind, r] of Object.entries(rewards)) {
    if (!(Number.isFinite(r) && r > 0)) throw new Error(`${where}: reward of cell kind '${kind}' must be finite and > 0, got ${r}`);
  }
  const { rows, cols, cells } = map;
  // Typed arrays throughout, no per-state objects: memory is the stored transitions (issue 15: 2000×2000).
  const index = new Int32Array(rows * cols).fill(-1);
  let S = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (cells[r][c] !== '#') index[r * cols + c] = S++;
  const cellRow = new Int32Array(S);
  const cellCol = new Int32Array(S);
  for (let r = 0, s = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (cells[r][c] !== '#') {
        cellRow[s] = r;
        cellCol[s++] = c;
      }
    }
  }
  const stateAt = (r: number, c: number) => (r >= 0 && r < rows && c >= 0 && c < cols ? index[r * cols + c] : -1);
  const start = stateAt(map.start[0], map.start[1]);
  const goal = stateAt(map.goal[0], map.goal[1]);
  const targets = new Int32Array(S * 4);
  for (let s = 0; s < S; s++) {
    for (let m = 0; m < 4; m++) {
      const t = s === goal ? s : stateAt(cellRow[s] + DR[m], cellCol[s] + DC[m]);
      targets[s * 4 + m] = t < 0 ? s : t;
    }
  }
  checkGoalReachable(map, start, goal, targets, cellRow, cellCol);
  // The successors of (s, a) into rowNext/rowProb (returns how many): the intended target with 1 − ε, then
  // each of the 4 moves with ε/4, duplicates merged in that order; the goal stays put.
  const rowNext = new Int32Array(5);
  const rowProb = new Float64Array(5);
  const fillRow = (s: number, a: number): number => {
    if (s === goal) {
      rowNext[0] = goal;
      rowProb[0] = 1;
      return 1;
    }
    let n = 0;
    for (let m = -1; m < 4; m++) {
      const p = m < 0 ? 1 - noise : noise / 4;
      if (p === 0) continue;
      const t = targets[s * 4 + (m < 0 ? a : m)];
      let j = 0;
      while (j < n && rowNext[j] !== t) j++;
      if (j === n) {
        rowNext[n] = t;
        rowProb[n++] = 0;
      }
      rowProb[j] += p;
    }
    return n;
  };
  const rowStart = new Int32Array(S * 4 + 1);
  for (let i = 0; i < S * 4; i++) rowStart[i + 1] = rowStart[i] + fillRow(i >> 2, i & 3);
  const next = new Int32Array(rowStart[S * 4]);
  const prob = new Float64Array(rowStart[S * 4]);
  const reward = new Float64Array(S * 4);
  for (let i = 0; i < S * 4; i++) {
    const n = fillRow(i >> 2, i & 3);
    next.set(rowNext.subarray(0, n), rowStart[i]);
    prob.set(rowProb.subarray(0, n), rowStart[i]);
  }
  for (let s = 0; s < S; s++) reward.fill(rewards[cells[cellRow[s]][cellCol[s]]], s * 4, s * 4 + 4);
  const built = makeMDPFromArrays(S, 4, rowStart, next, prob, { reward, gamma, p0: start, actionNames: [...MOVES] });
  // State names "(row,col)" are made only when read: as strings they would cost more than the kernel.
  let names: string[] | undefined;
  const mdp: TabularMDP = Object.defineProperty(built, 'stateNames', {
    enumerable: true,
    get: () => (names ??= Array.from(cellRow, (r, s) => `(${r},${cellCol[s]})`)),
  });
  return {
    map,
    mdp,
    noise,
    rows,
    cols,
    start,
    goal,
    cellOf: (s: number): [number, number] => {
      if (!(Number.isInteger(s) && s >= 0 && s < S)) throw new Error(`${where}: state ${s} out of range [0, ${S})`);
      return [cellRow[s], cellCol[s]];
    },
    stateAt,
    moveTarget: (s: number, move: number) => {
      if (!(Number.isInteger(s) && s >= 0 && s < S)) throw new Error(`${where}: state ${s} out of range [0, ${S})`);
      if (!(Number.isInteger(move) && move >= 0 && move < 4))
        throw new Error(`${where}: move ${move} is not one of 0..3 (up, down, left, right)`);
      return targets[s * 4 + move];
    },
  };
}
