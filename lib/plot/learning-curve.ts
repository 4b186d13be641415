/**
 * Learning curves: the mean of each method as a line with markers, its interval as a shaded band. Interactive where
 * the frontend runs Vega (JupyterLab, VS Code, the report): click a legend entry to highlight a method, drag to
 * pan and scroll to zoom, hover a marker for x, y and the interval. Static SVG elsewhere.
 */
import type { VegaLiteSpec } from '../experiment';
import { figureTitle, type Layer } from './spec';

export interface CurveRow {
  method: string;
  /** x value (e.g. number of updates). */
  x: number;
  mean: number;
  lo: number;
  hi: number;
}

export interface CurveOptions {
  title: string;
  /** "Paper: … · Here: …". */
  subtitle?: string;
  /** One sentence: what to look at. */
  caption?: string;
  xTitle: string;
  yTitle: string;
  /** Draw a dashed horizontal reference line here (e.g. the optimum), labelled at its right end. */
  reference?: { y: number; label: string };
  /** Legend order of the methods. */
  order?: string[];
  /** Methods that are diagnostics, not the paper's methods: drawn thin and dashed so the main ones show. */
  diagnostic?: string[];
  /** The y values are fractions: the axis runs from 0 to 1. */
  fraction?: boolean;
  /**
   * The values the quantity can take ([min, max], null for unbounded): a band is cut there, never drawn where no
   * value can be (a return below 0 when every reward is positive, above 0 on Pendulum).
   */
  bounds?: [number | null, number | null];
  /** A log y axis, for values spanning decades (an error that falls ×100); a band's lower end stays above 0, and a point at 0 or below is left out. */
  logY?: boolean;
  width?: number;
  height?: number;
}

/** Marker shapes, one per method, so that lines lying on top of each other stay distinguishable. */
const SHAPES = ['circle', 'square', 'triangle-up', 'diamond', 'cross', 'triangle-down', 'triangle-right', 'triangle-left'];

/** The rows with each band cut to `bounds` and, on a log axis, its lower end kept above 0. */
export function clipBands(rows: CurveRow[], opts: Pick<CurveOptions, 'bounds' | 'logY'>): CurveRow[] {
  const [min, max] = opts.bounds ?? [null, null];
  // On a log axis a band reaching 0 or below is cut at half the smallest positive value drawn.
  const positive = rows.flatMap((r) => [r.mean, r.lo, r.hi]).filter((v) => v > 0);
  const floor = opts.logY && positive.length ? Math.min(...positive) / 2 : null;
  const lower = [min, floor].filter((v): v is number => v !== null);
  const cut = (v: number) => {
    let out = v;
    if (lower.length) out = Math.max(out, ...lower);
    if (max !== null) out = Math.min(out, max);
    return out;
  };
  return rows.map((r) => ({ ...r, lo: cut(r.lo), hi: cut(r.hi) }));
}

export function learningCurveSpec(rows: CurveRow[], opts: CurveOptions): VegaLiteSpec {
  const width = opts.width ?? 480;
  const found = opts.order ?? [...new Set(rows.map((r) => r.method))];
  // With nothing to draw (no runs yet) the legend says so: an empty one leaves the picture without a size.
  const methods = found.length ? found : ['no runs to show'];
  const diagnostic = new Set(opts.diagnostic ?? []);
  const clipped = clipBands(rows, opts).map((r) => ({ ...r, role: diagnostic.has(r.method) ? 'diagnostic' : 'main' }));
  const isDiagnostic = "datum.role === 'diagnostic'";
  // A log axis needs a positive value to span: with none (no runs yet) Vega cannot size it, so the axis stays linear.
  const logY = opts.logY === true && clipped.some((r) => r.mean > 0);
  // A value of 0 or below has no place on a log axis (drawn, it would collapse the whole axis): it is left out.
  const data = logY ? clipped.filter((r) => r.mean > 0) : clipped;
  // Every layer carries the same legend definition (Vega-Lite merges them into one legend; differing ones warn).
  const color = {
    field: 'method',
    type: 'nominal' as const,
    title: null,
    legend: { labelLimit: 640, symbolType: 'stroke', symbolStrokeWidth: 3, symbolOpacity: 1 },
    sort: methods,
    scale: { domain: methods },
  };
  const y = (field: string, title?: string) => ({
    field,
    type: 'quantitative' as const,
    ...(title ? { title } : {}),
    ...(opts.fraction ? { scale: { domain: [0, 1], clamp: true } } : logY ? { scale: { type: 'log' as const } } : {}),
  });
  const x = { field: 'x', type: 'quantitative' as const, title: opts.xTitle };
  const picked = (on: number, off: number) => ({ condition: { param: 'pick', value: on }, value: off });
  const layers: Layer[] = [
    {
      mark: { type: 'area', opacity: 0.18 },
      encoding: {
        x,
        y: y('lo', opts.yTitle),
        y2: { field: 'hi' },
        color,
        // A diagnostic's band is fainter, so that the main methods' bands show through.
        opacity: { condition: { param: 'pick', value: 0.18 }, value: 0.03 },
        fillOpacity: { condition: { test: isDiagnostic, value: 0.25 }, value: 1 },
      },
    },
    {
      params: [
        { name: 'pick', select: { type: 'point', fields: ['method'] }, bind: 'legend' },
        { name: 'zoom', select: 'interval', bind: 'scales' },
      ],
      mark: { type: 'line' },
      encoding: {
        x,
        y: y('mean'),
        color,
        opacity: picked(1, 0.15),
        strokeWidth: { condition: { test: isDiagnostic, value: 1.2 }, value: 2.5 },
        strokeDash: { condition: { test: isDiagnostic, value: [5, 3] }, value: [1, 0] },
      },
    },
    {
      mark: { type: 'point', filled: true, size: 28 },
      encoding: {
        x,
        y: y('mean'),
        color,
        // The same legend definition as the colour's: Vega-Lite merges them into one legend (a hidden one would conflict).
        shape: {
          field: 'method',
          type: 'nominal',
          title: null,
          legend: color.legend,
          scale: { domain: methods, range: SHAPES.slice(0, methods.length) },
        },
        opacity: picked(0.9, 0.1),
        tooltip: [
          { field: 'method', title: 'method' },
          { field: 'x', title: opts.xTitle },
          { field: 'mean', title: opts.yTitle, format: '.4~g' },
          { field: 'lo', title: 'interval from', format: '.4~g' },
          { field: 'hi', title: 'interval to', format: '.4~g' },
        ],
      },
    },
  ];
  // A reference that could not be computed (no runs to take it from) is left out, not drawn at NaN.
  if (opts.reference && Number.isFinite(opts.reference.y)) {
    const ref = { data: { values: [{ y: opts.reference.y, label: opts.reference.label }] } };
    layers.push(
      {
        ...ref,
        mark: { type: 'rule', strokeDash: [4, 4], color: 'gray' },
        encoding: { y: { field: 'y', type: 'quantitative' }, tooltip: { field: 'label' } },
      },
      {
        ...ref,
        mark: { type: 'text', align: 'right', baseline: 'bottom', dy: -3, color: '#555', fontSize: 11 },
        encoding: { y: { field: 'y', type: 'quantitative' }, x: { value: width - 4 }, text: { field: 'label' } },
      },
    );
  }
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: figureTitle(opts, Math.round(width / 6.5)),
    width,
    height: opts.height ?? 280,
    data: { values: data },
    layer: layers,
  } satisfies VegaLiteSpec;
}

/** "MnM 0.81 · Q-learning 0.03": each method's mean at its last x, for a "Here: …" subtitle computed from the run. */
export function finalMeans(rows: CurveRow[], order?: string[], digits = 2): string {
  const methods = order ?? [...new Set(rows.map((r) => r.method))];
  return methods
    .map((m) => {
      const last = rows.filter((r) => r.method === m).sort((a, b) => b.x - a.x)[0];
      return last ? `${m} ${last.mean.toFixed(digits)}` : null;
    })
    .filter(Boolean)
    .join(' · ');
}
