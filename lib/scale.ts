/** The three sizes every experiment runs at. */
export type Scale = 'smoke' | 'quick' | 'paper';
export const SCALES: readonly Scale[] = ['smoke', 'quick', 'paper'];

function isScale(value: string): value is Scale {
  return (SCALES as readonly string[]).includes(value);
}

/** `smoke`: seconds (unit tests); `quick`: the default run and notebooks; `paper`: full sizes and seeds. */
export function parseScale(value: string, source = 'scale'): Scale {
  if (isScale(value)) return value;
  throw new Error(`${source}: unknown scale '${value}' (expected one of ${SCALES.join(', ')})`);
}

/** The scale notebooks run at: $MNM_SCALE, `quick` when unset (the test suite sets `smoke`). */
export function scaleFromEnv(): Scale {
  const v = process.env.MNM_SCALE;
  return v === undefined || v === '' ? 'quick' : parseScale(v, 'MNM_SCALE');
}
