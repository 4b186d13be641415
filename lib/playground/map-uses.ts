/**
 * Which maps of data/ each panel offers: only those its computation runs on and shows something with. Plain
 * functions of the maps' text (no DOM), so test/playground checks every listed map in Node.
 */
import { type GridMap, parseGridMap } from '../tabular/gridworld';

/** What a map is chosen for: a panel, or one procedure of the capacity-limited paths. */
export type MapUse = 'bound' | 'optimism' | 'learning' | 'paths-paper' | 'paths-e2';

const hasWalls = (m: GridMap) => m.cells.some((row) => row.includes('#'));

/** Whether a map suits a use, and why not when it does not. */
export const MAP_USES: Record<MapUse, { fits: (m: GridMap) => boolean; needs: string }> = {
  // Fig. 3b's rewards pay 10 in the goal, and without noise the optimal model is p itself: nothing to bound.
  bound: { fits: (m) => m.goal !== null && (m.noise ?? 0) > 0, needs: 'a goal and transition noise' },
  // The editor toggles walls as obstacles; a map whose walls are states (Fig. 2b's) means something else by them.
  optimism: { fits: (m) => m.goal !== null && m.walls !== 'states', needs: 'a goal, and walls that are obstacles' },
  // The learners run to a goal and are measured against J*.
  learning: { fits: (m) => m.goal !== null, needs: 'a goal' },
  // The 3×3 block-averaged model of the authors' procedure puts mass on wall cells, so they must be states.
  'paths-paper': { fits: (m) => m.goal !== null && m.walls === 'states', needs: "a goal and 'walls: states'" },
  // A capacity-limited model only errs near walls.
  'paths-e2': { fits: (m) => m.goal !== null && hasWalls(m), needs: 'a goal and walls' },
};

/** The names of the maps (name → text) that suit `use`, sorted; a map that does not parse is left out. */
export function mapsFor(maps: Record<string, string>, use: MapUse): string[] {
  return Object.keys(maps)
    .sort()
    .filter((name) => {
      try {
        return MAP_USES[use].fits(parseGridMap(maps[name], name));
      } catch {
        return false;
      }
    });
}
