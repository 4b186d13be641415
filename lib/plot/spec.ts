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

/** Breaks text into lines of at most `width` characters at spaces (a Vega title does not wrap by itself). */
export function wrapLines(text: string, width = 90): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines;
}

/** What a figure's heading says: the title, "Paper: … · Here: …" and a one-line caption saying what to look at. */
export interface FigureText {
  title: string;
  /** What the paper shows and what this run shows, e.g. "Paper: MnM first · Here: MnM and Q-learning tie". */
  subtitle?: string;
  /** What to look at, in one sentence. */
  caption?: string;
}

/** A Vega-Lite title object: the title (wrapped), then the subtitle and the caption as grey lines below it. */
export function figureTitle(t: FigureText, width = 90) {
  const sub = [t.subtitle, t.caption].filter((x): x is string => Boolean(x)).flatMap((x) => wrapLines(x, width + 10));
  return {
    text: wrapLines(t.title, width),
    anchor: 'start' as const,
    ...(sub.length ? { subtitle: sub, subtitleColor: '#555', subtitleFontSize: 11 } : {}),
  };
}
