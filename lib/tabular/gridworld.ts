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
 * Cells: `#` wall, `.` free, `S` start (exactly one), `G` goal (exactly one, unless `goal: none`), and
 * any lowercase letter `a`–`z` for a free cell with its own reward, declared in the header as
 * `reward.<letter>: value`. Rows are counted from the top (row 0 is the first grid line), columns from
 * the left; a cell is (row, col).
 * Header keys: `noise` (ε in [0, 1]), `gamma` (in (0, 1)), `reward.free`, `reward.start` (defaults to
 * reward.free), `reward.goal`, `reward.<letter>`; rewards must be finite and > 0 (MnM takes log r).
 *   actions: up right down left stay   the actions and their order (default `up down left right`);
 *                                      `stay` is the move (0, 0)
 *   goal: absorbing | not-absorbing | none   (default absorbing; `none`: the map has no goal cell)
 *   walls: blocked | states            (default blocked; `states`: wall cells are states too, which the
 *                                      true dynamics never enter, so that a model may put mass on them)
 *   slip.<letter>: <action> <prob>     in cells `<letter>`, the move made is replaced by <action> with
 *                                      probability <prob> (after the noise), e.g. a windy cell
 * Blank lines are allowed before and after the grid; the grid rows must all have the same width.
 * Numbers are decimal (`0x1` is refused), and a header key is given at most once.
 * Every parse error names `source:line:col` (columns in characters: an emoji is one) and what is wrong, showing a
 * character that does not show as e.g. `U+FEFF (byte-order mark)` (lib/show). A goal that the start cannot reach is
 * refused when the gridworld is built, naming the map and the unreachable cells.
 *
 * Pure (no Node modules) so the browser playground bundles it; reading map files is in map-files.ts.
 *
 * Dynamics: with probability 1−ε the intended move, with probability ε a uniformly chosen one of the A
 * actions (so the intended move has total probability 1 − ε + ε/A); then a slip cell may replace the
 * move. A move off the grid or into a wall leaves the agent where it was. Duplicate successors are merged.
 * An absorbing goal keeps the agent there under every action; a goal that is not absorbing is an ordinary
 * cell. Either way its reward is paid for every action taken in it: r(s, a) = the reward of the cell of s.
 */
import { codePoints, showChar, showText, showValue } from '../show';
import { makeMDPFromArrays, type TabularMDP } from './mdp';

/** The project's default actions, in order. */
export const MOVES = ['up', 'down', 'left', 'right'] as const;
export type Move = 0 | 1 | 2 | 3;
/** Every action a map may declare, with its (row, col) displacement. */
export const ACTION_DELTAS = { up: [-1, 0], down: [1, 0], left: [0, -1], right: [0, 1], stay: [0, 0] } as const;
export type ActionName = keyof typeof ACTION_DELTAS;
export type GoalKind = 'absorbing' | 'not-absorbing' | 'none';
export type WallKind = 'blocked' | 'states';

function isActionName(x: string): x is ActionName {
  return Object.hasOwn(ACTION_DELTAS, x);
}

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
  /** The goal cell, or null when the map declares `goal: none`. */
  goal: [number, number] | null;
  /** Header values (undefined where the header did not set them). */
  noise?: number;
  gamma?: number;
  actions?: ActionName[];
  goalKind?: GoalKind;
  walls?: WallKind;
  /** Reward per cell kind: '.', 'S', 'G' and declared letters. */
  rewards: Record<string, number>;
  /** Slip per cell kind (letters only): the action that replaces the move and its probability. */
  slips?: Record<string, { action: ActionName; prob: number }>;
}

export interface GridOptions {
  /** ε: probability that the move is replaced by a uniformly chosen one of the 4 moves. */
  noise?: number;
  gamma?: number;
  /** Overrides of the per-cell-kind rewards ('.', 'S', 'G', letters). */
  rewards?: Record<string, number>;
  /** Overrides the map's `goal:` (absorbing or not; a map with a goal cell cannot be made goal-less). */
  absorbingGoal?: boolean;
}

export interface Gridworld {
  map: GridMap;
  mdp: TabularMDP;
  noise: number;
  rows: number;
  cols: number;
  /** The actions in order (index a of the MDP = actions[a]). */
  actions: readonly ActionName[];
  /** Whether the goal keeps the agent (false also when there is no goal). */
  absorbingGoal: boolean;
  /** Whether wall cells are states (`walls: states`). */
  wallStates: boolean;
  /** State indices of the start and goal cells (goal −1 when the map has none). */
  start: number;
  goal: number;
  cellOf(s: number): [number, number];
  /** The state at (row, col), or -1 for a cell off the grid or a wall that is not a state. */
  stateAt(row: number, col: number): number;
  /** Whether (row, col) is a wall cell (whether or not walls are states). */
  wallAt(row: number, col: number): boolean;
  /** The deterministic result of action `move` from s, before noise and slip (blocked → s; an absorbing goal → itself). */
  moveTarget(s: number, move: number): number;
}

// The map is read in four steps, each a function below: splitMap (lines into header lines and grid rows),
// readHeader (each key's value, checked), readGrid (the cells, start and goal) and checkAcross (what needs both).
// Columns count code points, so an emoji is one column, as in an editor; a character that does not show
// (a byte-order mark, a tab, a lone carriage return) is named in the error, never printed raw (lib/show).

// `s`: a value may hold a lone carriage return, which the value check then names (instead of the line becoming a grid row).
const HEADER_RE = /^([A-Za-z][\w.-]*)\s*:\s*(.*)$/s;
// Decimal numbers only: Number() would also read hex, octal and binary ('0x1' as 1), which no map means.
const DECIMAL_RE = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/** A line of the map: its text and its 1-based line number. */
interface MapLine {
  text: string;
  line: number;
}

/** A header line `key: value`; `where` is `source:line:col` of the value, `keyAt` of the key. */
interface HeaderLine {
  key: string;
  value: string;
  where: string;
  keyAt: string;
}

/** What the header sets, before the grid is read. */
interface Header {
  noise?: number;
  gamma?: number;
  actions?: ActionName[];
  goalKind?: GoalKind;
  walls?: WallKind;
  rewards: Record<string, number>;
  slips: Record<string, { action: ActionName; prob: number }>;
  /** Where each slip was declared (for errors found once the grid is read). */
  slipAt: Record<string, string>;
}

const HEADER_KEYS = 'noise, gamma, actions, goal, walls, reward.free, reward.start, reward.goal, reward.<letter> or slip.<letter>';

function parseNumber(text: string, where: string, key: string): number {
  const t = text.trim();
  const v = Number(t);
  if (DECIMAL_RE.test(t) && Number.isFinite(v)) return v;
  const hint = t !== '' && Number.isFinite(v) ? ' (write it in decimal, e.g. 0.2)' : '';
  throw new Error(`${where}: ${key} must be a finite number, got ${showText(text)}${hint}`);
}

/** Step 1: the header lines (before the grid) and the grid rows; comments and blank lines are dropped. */
function splitMap(text: string, source: string): { header: HeaderLine[]; grid: MapLine[] } {
  const header: HeaderLine[] = [];
  const grid: MapLine[] = [];
  let gridEnded = false;
  text.split(/\r?\n/).forEach((line, i) => {
    const ln = i + 1;
    const trimmed = line.trim();
    if (trimmed === '') {
      if (grid.length > 0) gridEnded = true;
      return;
    }
    if (grid.length === 0 && trimmed.startsWith('//')) return;
    const h = grid.length === 0 ? HEADER_RE.exec(line) : null;
    if (h) {
      const valueCol = codePoints(line).length - codePoints(h[2]).length + 1;
      header.push({ key: h[1], value: h[2], where: `${source}:${ln}:${valueCol}`, keyAt: `${source}:${ln}:1` });
      return;
    }
    if (gridEnded) throw new Error(`${source}:${ln}:1: unexpected text after the grid ended at a blank line`);
    grid.push({ text: line.trimEnd(), line: ln });
  });
  if (grid.length === 0) throw new Error(`${source}: no grid rows found`);
  return { header, grid };
}

function readActions({ value, where }: HeaderLine): ActionName[] {
  const names = value.trim().split(/\s+/);
  const seen = new Set<string>();
  for (const n of names) {
    if (!isActionName(n)) throw new Error(`${where}: unknown action ${showText(n)} (expected up, down, left, right or stay)`);
    if (seen.has(n)) throw new Error(`${where}: action '${n}' is listed twice`);
    seen.add(n);
  }
  return names as ActionName[];
}

function readChoice<T extends string>({ key, value, where }: HeaderLine, choices: readonly T[]): T {
  const v = value.trim();
  const ok = (x: string): x is T => (choices as readonly string[]).includes(x);
  if (!ok(v)) throw new Error(`${where}: ${key} must be ${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}, got ${showText(v)}`);
  return v;
}

function readSlip({ key, value, where, keyAt }: HeaderLine, header: Header): void {
  const kind = key.slice('slip.'.length);
  if (!/^[a-z]$/.test(kind)) throw new Error(`${keyAt}: slip applies to a lowercase cell letter a-z, got ${showText(kind)}`);
  const parts = value.trim().split(/\s+/);
  if (parts.length !== 2 || !isActionName(parts[0]))
    throw new Error(`${where}: ${key} must be '<action> <probability>' (e.g. 'left 0.5'), got ${showText(value)}`);
  const prob = parseNumber(parts[1], where, key);
  if (!(prob >= 0 && prob <= 1)) throw new Error(`${where}: ${key} probability must be in [0, 1], got ${prob}`);
  header.slips[kind] = { action: parts[0], prob };
  header.slipAt[kind] = where;
}

function readReward({ key, value, where, keyAt }: HeaderLine, header: Header): void {
  const kind = key.slice('reward.'.length);
  const cell = kind === 'free' ? '.' : kind === 'start' ? 'S' : kind === 'goal' ? 'G' : /^[a-z]$/.test(kind) ? kind : null;
  if (cell === null)
    throw new Error(`${keyAt}: unknown reward kind ${showText(kind)} (expected free, start, goal or a lowercase letter a-z)`);
  const r = parseNumber(value, where, key);
  if (!(r > 0)) throw new Error(`${where}: ${key} must be > 0 (MnM takes log r), got ${r}`);
  header.rewards[cell] = r;
}

/** Step 2: each header line's value, checked; a key given twice is refused (which one was meant?). */
function readHeader(lines: HeaderLine[]): Header {
  const header: Header = { rewards: {}, slips: {}, slipAt: {} };
  const seen = new Map<string, string>();
  for (const h of lines) {
    const first = seen.get(h.key);
    if (first !== undefined) throw new Error(`${h.keyAt}: header key '${h.key}' is given twice (first at ${first})`);
    seen.set(h.key, h.keyAt);
    if (h.key === 'noise') {
      header.noise = parseNumber(h.value, h.where, h.key);
      if (!(header.noise >= 0 && header.noise <= 1)) throw new Error(`${h.where}: noise must be in [0, 1], got ${header.noise}`);
    } else if (h.key === 'gamma') {
      header.gamma = parseNumber(h.value, h.where, h.key);
      if (!(header.gamma > 0 && header.gamma < 1)) throw new Error(`${h.where}: gamma must be in (0, 1), got ${header.gamma}`);
    } else if (h.key === 'actions') header.actions = readActions(h);
    else if (h.key === 'goal') header.goalKind = readChoice(h, ['absorbing', 'not-absorbing', 'none'] as const);
    else if (h.key === 'walls') header.walls = readChoice(h, ['blocked', 'states'] as const);
    else if (h.key.startsWith('slip.')) readSlip(h, header);
    else if (h.key.startsWith('reward.')) readReward(h, header);
    else throw new Error(`${h.keyAt}: unknown header key ${showText(h.key)} (expected ${HEADER_KEYS})`);
  }
  return header;
}

/** Step 3: the grid rows, all one width (in characters), their cells known, one start and at most one goal. */
function readGrid(
  grid: MapLine[],
  source: string,
  rewards: Record<string, number>,
): { cells: string[]; start: [number, number] | null; goal: [number, number] | null; goalAt: string } {
  const rows = grid.map((g) => codePoints(g.text));
  const cols = rows[0].length;
  let start: [number, number] | null = null;
  let goal: [number, number] | null = null;
  let startAt = '';
  let goalAt = '';
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r];
    const line = grid[r].line;
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
        throw new Error(`${where}: unknown cell ${showChar(ch)} (expected '#', '.', 'S', 'G' or a declared lowercase letter)`);
      }
    }
  }
  return { cells: grid.map((g) => g.text), start, goal, goalAt };
}

/** Step 4: what needs the header and the grid together: a start, a goal unless `goal: none`, slips on used letters. */
function checkAcross(
  source: string,
  header: Header,
  grid: ReturnType<typeof readGrid>,
): asserts grid is typeof grid & { start: [number, number] } {
  const { start, goal, goalAt, cells } = grid;
  if (!start) throw new Error(`${source}: the map has no start cell 'S'`);
  if (header.goalKind === 'none' && goal) throw new Error(`${goalAt}: goal cell 'G' in a map declared 'goal: none'`);
  if (!goal && header.goalKind !== 'none')
    throw new Error(`${source}: the map has no goal cell 'G' (declare 'goal: none' for a map without one)`);
  for (const [kind, slip] of Object.entries(header.slips)) {
    if (!cells.some((row) => row.includes(kind)))
      throw new Error(`${header.slipAt[kind]}: slip.${kind} names a cell letter the grid does not use`);
    if (header.actions && !header.actions.includes(slip.action))
      throw new Error(`${header.slipAt[kind]}: slip.${kind} uses the action '${slip.action}', which the map's actions do not include`);
  }
}

/** Parses a map; errors name `source:line:col` (columns in characters) and show what is wrong. */
export function parseGridMap(text: string, source: string): GridMap {
  const lines = splitMap(text, source);
  const header = readHeader(lines.header);
  const grid = readGrid(lines.grid, source, header.rewards);
  checkAcross(source, header, grid);
  const { noise, gamma, actions, goalKind, walls, rewards, slips } = header;
  return {
    source,
    rows: grid.cells.length,
    cols: grid.cells[0].length,
    cells: grid.cells,
    start: grid.start,
    goal: grid.goal,
    noise,
    gamma,
    actions,
    goalKind,
    walls,
    rewards,
    slips: Object.keys(slips).length > 0 ? slips : undefined,
  };
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
  A: number,
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
    for (let m = 0; m < A; m++) {
      const t = targets[s * A + m];
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

// The gridworld is built in steps, each a function below: settingsOf (noise, gamma, actions, rewards: options over
// the header over the defaults), indexStates (which cells are states, numbered row by row), moveTargets (where
// each action's move lands), slipTargets (what a slip cell does instead), and transitionKernel (the successors
// and probabilities of every (s, a)). Typed arrays throughout, no per-state objects: memory is the stored
// transitions (issue 15: 2000×2000).

interface GridSettings {
  where: string;
  noise: number;
  gamma: number;
  actions: readonly ActionName[];
  hasGoal: boolean;
  absorbingGoal: boolean;
  wallStates: boolean;
  /** Reward per cell kind, every kind the grid may hold. */
  rewards: Record<string, number>;
}

/** Step 1: the settings, options over the map header over GRID_DEFAULTS, checked. */
function settingsOf(map: GridMap, opts: GridOptions): GridSettings {
  const noise = opts.noise ?? map.noise ?? GRID_DEFAULTS.noise;
  const gamma = opts.gamma ?? map.gamma ?? GRID_DEFAULTS.gamma;
  const where = `gridworld ${map.source}`;
  if (!(noise >= 0 && noise <= 1)) throw new Error(`${where}: noise must be in [0, 1], got ${showValue(noise)}`);
  if (!(gamma > 0 && gamma < 1)) throw new Error(`${where}: gamma must be in (0, 1), got ${showValue(gamma)}`);
  const hasGoal = map.goal !== null && map.goalKind !== 'none';
  if (opts.absorbingGoal !== undefined && !hasGoal) throw new Error(`${where}: absorbingGoal is set but the map has no goal`);
  const wallStates = map.walls === 'states';
  const rewards: Record<string, number> = {
    '.': GRID_DEFAULTS.rewardFree,
    G: GRID_DEFAULTS.rewardGoal,
    ...map.rewards,
    ...(opts.rewards ?? {}),
  };
  if (rewards.S === undefined) rewards.S = rewards['.'];
  // Wall cells that are states earn the free-cell reward (the true dynamics never enter them).
  if (wallStates && rewards['#'] === undefined) rewards['#'] = rewards['.'];
  for (const [kind, r] of Object.entries(rewards)) {
    if (!(Number.isFinite(r) && r > 0))
      throw new Error(`${where}: reward of cell kind ${showText(kind)} must be finite and > 0, got ${showValue(r)}`);
  }
  return {
    where,
    noise,
    gamma,
    actions: map.actions ?? MOVES,
    hasGoal,
    absorbingGoal: hasGoal && (opts.absorbingGoal ?? map.goalKind !== 'not-absorbing'),
    wallStates,
    rewards,
  };
}

/** The states of a grid: cell → state index (−1: a wall that is not a state), and each state's cell. */
interface StateIndex {
  S: number;
  cellRow: Int32Array;
  cellCol: Int32Array;
  stateAt(r: number, c: number): number;
  wallAt(r: number, c: number): boolean;
}

/** Step 2: the cells that are states (all but walls, unless `walls: states`), numbered row by row. */
function indexStates({ rows, cols, cells }: GridMap, wallStates: boolean): StateIndex {
  const isState = (r: number, c: number) => wallStates || cells[r][c] !== '#';
  const index = new Int32Array(rows * cols).fill(-1);
  let S = 0;
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) if (isState(r, c)) index[r * cols + c] = S++;
  const cellRow = new Int32Array(S);
  const cellCol = new Int32Array(S);
  for (let r = 0, s = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (isState(r, c)) {
        cellRow[s] = r;
        cellCol[s++] = c;
      }
    }
  }
  return {
    S,
    cellRow,
    cellCol,
    stateAt: (r, c) => (r >= 0 && r < rows && c >= 0 && c < cols ? index[r * cols + c] : -1),
    wallAt: (r, c) => r >= 0 && r < rows && c >= 0 && c < cols && cells[r][c] === '#',
  };
}

/**
 * Step 3: where each action's move lands, targets[s·A + a]: off the grid or into a wall stays put (also from a wall
 * cell that is a state); an absorbing goal stays put under every action.
 */
function moveTargets(states: StateIndex, actions: readonly ActionName[], goal: number, absorbingGoal: boolean): Int32Array {
  const { S, cellRow, cellCol, stateAt, wallAt } = states;
  const A = actions.length;
  const targets = new Int32Array(S * A);
  for (let s = 0; s < S; s++) {
    for (let a = 0; a < A; a++) {
      const [dr, dc] = ACTION_DELTAS[actions[a]];
      const r = cellRow[s] + dr;
      const c = cellCol[s] + dc;
      const t = absorbingGoal && s === goal ? s : wallAt(r, c) ? -1 : stateAt(r, c);
      targets[s * A + a] = t < 0 ? s : t;
    }
  }
  return targets;
}

/** Step 4: per state, where its slip's action lands (−1: no slip) and the slip's probability. */
function slipTargets(map: GridMap, states: StateIndex, settings: GridSettings, targets: Int32Array) {
  const { S, cellRow, cellCol } = states;
  const { actions, where } = settings;
  const A = actions.length;
  const slipTarget = new Int32Array(S).fill(-1);
  const slipProb = new Float64Array(S);
  for (let s = 0; s < S; s++) {
    const slip = map.slips?.[map.cells[cellRow[s]][cellCol[s]]];
    if (!slip) continue;
    const a = actions.indexOf(slip.action);
    if (a < 0) throw new Error(`${where}: slip action '${slip.action}' is not one of the map's actions (${actions.join(', ')})`);
    slipTarget[s] = targets[s * A + a];
    slipProb[s] = slip.prob;
  }
  return { slipTarget, slipProb };
}

/**
 * Step 5: the sparse kernel, rows (s, a) in order: the intended target with 1 − ε, then each of the A moves with
 * ε/A, each split by the cell's slip, duplicates merged in that order; an absorbing goal stays put.
 */
function transitionKernel(
  S: number,
  A: number,
  noise: number,
  targets: Int32Array,
  slips: { slipTarget: Int32Array; slipProb: Float64Array },
  absorbingGoalState: number,
): { rowStart: Int32Array; next: Int32Array; prob: Float64Array } {
  const { slipTarget, slipProb } = slips;
  // The successors of one (s, a) go into rowNext/rowProb; fillRow returns how many.
  const rowNext = new Int32Array(2 * A + 2);
  const rowProb = new Float64Array(2 * A + 2);
  let n = 0;
  const add = (t: number, p: number) => {
    if (p === 0) return;
    let j = 0;
    while (j < n && rowNext[j] !== t) j++;
    if (j === n) {
      rowNext[n] = t;
      rowProb[n++] = 0;
    }
    rowProb[j] += p;
  };
  const fillRow = (s: number, a: number): number => {
    if (s === absorbingGoalState) {
      rowNext[0] = s;
      rowProb[0] = 1;
      return 1;
    }
    n = 0;
    const slipP = slipProb[s];
    for (let m = -1; m < A; m++) {
      const p = m < 0 ? 1 - noise : noise / A;
      add(targets[s * A + (m < 0 ? a : m)], p * (1 - slipP));
      if (slipP > 0) add(slipTarget[s], p * slipP);
    }
    return n;
  };
  // Two passes: count each row's successors, then fill the arrays of that exact size.
  const rowStart = new Int32Array(S * A + 1);
  for (let i = 0; i < S * A; i++) rowStart[i + 1] = rowStart[i] + fillRow(Math.floor(i / A), i % A);
  const next = new Int32Array(rowStart[S * A]);
  const prob = new Float64Array(rowStart[S * A]);
  for (let i = 0; i < S * A; i++) {
    const k = fillRow(Math.floor(i / A), i % A);
    next.set(rowNext.subarray(0, k), rowStart[i]);
    prob.set(rowProb.subarray(0, k), rowStart[i]);
  }
  return { rowStart, next, prob };
}

/** The noisy gridworld MDP of a map. Options override the map header, which overrides GRID_DEFAULTS. */
export function makeGridworld(map: GridMap, opts: GridOptions = {}): Gridworld {
  const settings = settingsOf(map, opts);
  const { where, noise, gamma, actions, absorbingGoal, wallStates, rewards } = settings;
  const A = actions.length;
  const states = indexStates(map, wallStates);
  const { S, cellRow, cellCol, stateAt, wallAt } = states;
  const start = stateAt(map.start[0], map.start[1]);
  const goal = settings.hasGoal && map.goal ? stateAt(map.goal[0], map.goal[1]) : -1;
  const targets = moveTargets(states, actions, goal, absorbingGoal);
  if (goal >= 0) checkGoalReachable(map, start, goal, targets, A, cellRow, cellCol);
  const slips = slipTargets(map, states, settings, targets);
  const { rowStart, next, prob } = transitionKernel(S, A, noise, targets, slips, absorbingGoal ? goal : -1);
  const reward = new Float64Array(S * A);
  for (let s = 0; s < S; s++) reward.fill(rewards[map.cells[cellRow[s]][cellCol[s]]], s * A, s * A + A);
  const built = makeMDPFromArrays(S, A, rowStart, next, prob, { reward, gamma, p0: start, actionNames: [...actions] });
  // State names "(row,col)" are made only when read: as strings they would cost more than the kernel.
  let names: string[] | undefined;
  const mdp: TabularMDP = Object.defineProperty(built, 'stateNames', {
    enumerable: true,
    get: () => (names ??= Array.from(cellRow, (r, s) => `(${r},${cellCol[s]})`)),
  });
  const checkState = (s: number) => {
    if (!(Number.isInteger(s) && s >= 0 && s < S)) throw new Error(`${where}: state ${showValue(s)} out of range [0, ${S})`);
  };
  return {
    map,
    mdp,
    noise,
    rows: map.rows,
    cols: map.cols,
    actions,
    absorbingGoal,
    wallStates,
    start,
    goal,
    cellOf: (s: number): [number, number] => {
      checkState(s);
      return [cellRow[s], cellCol[s]];
    },
    stateAt,
    wallAt,
    moveTarget: (s: number, move: number) => {
      checkState(s);
      if (!(Number.isInteger(move) && move >= 0 && move < A))
        throw new Error(`${where}: move ${showValue(move)} is not one of 0..${A - 1} (${actions.join(', ')})`);
      return targets[s * A + move];
    },
  };
}
