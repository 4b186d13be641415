/// <reference lib="dom" />
/** The maps of data/ on the page (browser side): each panel's list (map-uses.ts) and a map's text by name. */
import { type MapUse, mapsFor } from './map-uses';
import type { MapText } from './protocol';
import { PAGE_DATA, select } from './ui';

/** The maps that suit `use`. */
export const mapNames = (use: MapUse): string[] => mapsFor(PAGE_DATA.maps, use);

/** `wanted` when it suits `use`, else `fallback` when it does, else the first map that does. */
export function pickMap(use: MapUse, wanted: string, fallback: string): string {
  const names = mapNames(use);
  return names.includes(wanted) ? wanted : names.includes(fallback) ? fallback : names[0];
}

export const mapText = (name: string): MapText => ({ name: `data/${name}.txt`, text: PAGE_DATA.maps[name] });

/** E1's open grid (Fig. 2a left), the default of the optimism and learning panels. */
export const E1_GRID = 'e1-open-10x10';

/** The paper's map of Fig. 2a and 3b (docs/PAPER-SETTINGS.md), the default of the bound panel. */
export const PAPER_GRID = 'paper-fig2a-10x10';

/** A choice among the maps that suit `use`. */
export function mapSelect(id: string, use: MapUse, value: string, onChange: (v: string) => void): HTMLElement {
  return select(
    id,
    'map',
    mapNames(use).map((m) => [m, m]),
    value,
    onChange,
  );
}
