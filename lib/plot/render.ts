/** Vega-Lite spec → SVG / PNG, offline in Node. Nothing here computes data: specs come in ready. */
import * as fs from 'node:fs';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { Resvg } from '@resvg/resvg-js';
import type { VegaLiteSpec } from '../experiment';
import { writeFileAtomic } from '../io';

export async function specToSvg(spec: VegaLiteSpec): Promise<string> {
  let compiled;
  try {
    compiled = vl.compile(spec).spec;
  } catch (err) {
    throw new Error(`invalid Vega-Lite spec${spec.title ? ` '${JSON.stringify(spec.title)}'` : ''}: ${(err as Error).message}`);
  }
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const FONT_DIRS = ['/usr/share/fonts', '/usr/local/share/fonts'].filter((d) => fs.existsSync(d));

export function svgToPng(svg: string, scale = 2): Buffer {
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: scale },
    background: 'white',
    font: { loadSystemFonts: true, fontDirs: FONT_DIRS, defaultFontFamily: 'DejaVu Sans' },
  });
  return resvg.render().asPng();
}

/** Writes `<base>.svg` and `<base>.png` (each atomically) and returns their paths. */
export async function writeFigure(spec: VegaLiteSpec, base: string): Promise<{ svg: string; png: string }> {
  const svg = await specToSvg(spec);
  writeFileAtomic(`${base}.svg`, svg);
  writeFileAtomic(`${base}.png`, svgToPng(svg));
  return { svg: `${base}.svg`, png: `${base}.png` };
}
