/** Vega-Lite types for the parts chart builders share; each whole chart ends in `satisfies VegaLiteSpec` (lib/experiment.ts). */
import type { Field, PositionFieldDef } from 'vega-lite/build/src/channeldef';
import type { LayerSpec } from 'vega-lite/build/src/spec/layer';
import type { Scale } from 'vega-lite/build/src/scale';
import type { UnitSpec } from 'vega-lite/build/src/spec/unit';

/** One layer of a layered chart: a single mark, or itself a stack of layers. */
export type Layer = UnitSpec<Field> | LayerSpec<Field>;
/** A panel of a concatenated figure. */
export type Panel = LayerSpec<Field>;
/** An x or y encoding by a data field. */
export type Position = PositionFieldDef<Field>;
/** A named colour scheme (e.g. 'redblue'). */
export type ColorScheme = Extract<NonNullable<Scale['scheme']>, string>;
