/**
 * Experiment parameters: each experiment declares its defaults at every scale and a rule per parameter.
 * A caller (a notebook, `mnm run --config`, a sweep) gives only the values it changes; resolveConfig()
 * lays them over the defaults and checks them, so runSeed and report always see a complete, valid config.
 *
 * A config is plain JSON data (numbers, strings, booleans, arrays and objects of them): it is saved with
 * every seed, and a saved seed is reused only under an equal config.
 */
import type { Scale } from './scale';
import { showKey, showValue } from './show';

export type ConfigValue = number | string | boolean | readonly ConfigValue[] | { readonly [key: string]: ConfigValue };

/** A parameter's rule: null or what it must be ("must be in (0, 1)"); or, for an object-valued parameter, a rule per field. */
export type Rule<T> = ((value: T) => string | null) | FieldRules<T>;

/** The rules of an object's fields (nested objects nest), and a check across them: null or [field, what is wrong]. */
export interface FieldRules<T> {
  readonly fields: { readonly [K in keyof T]?: Rule<T[K]> };
  readonly check?: (value: T) => [string, string] | null;
}

export interface ConfigSpec<C extends object> {
  /** The complete config at each scale. */
  defaults(scale: Scale): C;
  /** Checks beyond the JSON type (which must match the default's): a rule per parameter. */
  rules?: { [K in keyof C]?: Rule<C[K]> };
  /** A check across parameters: null, or [parameter, what is wrong]. */
  check?(config: C): [string, string] | null;
}

/**
 * The parameters of `spec` and of `extra` together (their names must differ): both sets of defaults, `extra`'s
 * after `spec`'s, both sets of rules, and `spec`'s cross-check.
 */
export function withParameters<C extends object, D extends object>(spec: ConfigSpec<C>, extra: ConfigSpec<D>): ConfigSpec<C & D> {
  const check = spec.check;
  return {
    defaults: (scale) => ({ ...spec.defaults(scale), ...extra.defaults(scale) }),
    // Rules for disjoint names: TypeScript cannot see that their union is the rules of C & D.
    rules: { ...spec.rules, ...extra.rules } as ConfigSpec<C & D>['rules'],
    check: check ? (c) => check(c) : undefined,
  };
}

/** The config of an experiment that has no parameters. */
export type NoConfig = Record<string, never>;
export const NO_CONFIG: ConfigSpec<NoConfig> = { defaults: () => ({}) };

// Rules, each returning what the value must be when it is not.
export const rules = {
  /** An open or closed interval; `open` leaves out both ends. */
  between:
    (lo: number, hi: number, open = false) =>
    (x: number): string | null =>
      (open ? x > lo && x < hi : x >= lo && x <= hi) ? null : `must be in ${open ? '(' : '['}${lo}, ${hi}${open ? ')' : ']'}`,
  /** An integer at least `min`. */
  intAtLeast:
    (min: number) =>
    (x: number): string | null =>
      Number.isInteger(x) && x >= min ? null : `must be an integer >= ${min}`,
  positive: (x: number): string | null => (x > 0 ? null : 'must be > 0'),
  oneOf:
    <T extends string>(values: readonly T[]) =>
    (x: T): string | null =>
      values.includes(x) ? null : `must be one of ${values.join(', ')}`,
  /** At least `min` (any finite number). */
  atLeast:
    (min: number) =>
    (x: number): string | null =>
      x >= min ? null : `must be >= ${min}`,
  /** Rules for the fields of an object-valued parameter (errors name `parameter.field`). */
  fields: <T>(fields: FieldRules<T>['fields'], check?: FieldRules<T>['check']): FieldRules<T> => ({ fields, check }),
  /** A non-empty array whose every element passes `each`. */
  everyOf:
    <T>(each: (x: T) => string | null) =>
    (xs: readonly T[]): string | null => {
      if (xs.length === 0) return 'must not be empty';
      for (const [i, x] of xs.entries()) {
        const bad = each(x);
        if (bad) return `[${i}] ${bad}`;
      }
      return null;
    },
};

export class ConfigError extends Error {}

function jsonType(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  return typeof v;
}

/** `overrides` laid over `defaults`, checking that every key exists and every value has the default's JSON type. */
function merge(defaults: unknown, overrides: unknown, where: string, fail: (where: string, what: string, got: unknown) => never): unknown {
  const want = jsonType(defaults);
  const got = jsonType(overrides);
  if (want === 'object') {
    if (got !== 'object') fail(where, 'must be an object', overrides);
    const d = defaults as Record<string, unknown>;
    const out: Record<string, unknown> = { ...d };
    for (const [k, v] of Object.entries(overrides as Record<string, unknown>)) {
      if (!Object.hasOwn(d, k)) {
        const known = Object.keys(d);
        throw new ConfigError(
          `${where}.${showKey(k)} is not a parameter (${known.length ? `expected one of ${known.join(', ')}` : 'this experiment has none'})`,
        );
      }
      out[k] = merge(d[k], v, `${where}.${k}`, fail);
    }
    return out;
  }
  if (want === 'array') {
    if (got !== 'array') fail(where, 'must be an array', overrides);
    const d = defaults as unknown[];
    // Elements take the type of the default's first element (arrays of one kind of value).
    return d.length === 0 ? overrides : (overrides as unknown[]).map((v, i) => merge(d[0], v, `${where}[${i}]`, fail));
  }
  if (want === 'number' && !(got === 'number' && Number.isFinite(overrides))) fail(where, 'must be a finite number', overrides);
  if (want !== got) fail(where, `must be a ${want}`, overrides);
  return overrides;
}

/** A failed rule: where (`config.pendulum.tau`), what it must be, and the value found. */
interface RuleFailure {
  where: string;
  what: string;
  got: unknown;
}

function ruleFailure(value: unknown, rule: Rule<never> | undefined, where: string): RuleFailure | null {
  if (rule === undefined) return null;
  if (typeof rule === 'function') {
    const what = (rule as (v: unknown) => string | null)(value);
    return what ? { where, what, got: value } : null;
  }
  const obj = value as Record<string, unknown>;
  const fields = rule.fields as Record<string, Rule<never> | undefined>;
  for (const [k, r] of Object.entries(fields)) {
    const bad = ruleFailure(obj[k], r, `${where}.${k}`);
    if (bad) return bad;
  }
  const cross = (rule.check as ((v: unknown) => [string, string] | null) | undefined)?.(value);
  return cross ? { where: `${where}.${cross[0]}`, what: cross[1], got: obj[cross[0]] } : null;
}

/**
 * `value` checked against its rules, for configs outside an experiment (e.g. lib/deep's training config):
 * throws one ConfigError `<name>: <field> <what it must be>, got <value>`, e.g.
 * `model-based config: totalSteps must be an integer >= 1, got 0`.
 */
export function checkConfig<T extends object>(name: string, value: T, rules: FieldRules<T>): void {
  const bad = ruleFailure(value, rules as Rule<never>, '');
  if (bad) throw new ConfigError(`${name}: ${bad.where.slice(1)} ${bad.what}, got ${JSON.stringify(bad.got)}`);
}

/**
 * The complete config of experiment `id` at `scale`: its defaults with `overrides` laid over them, checked.
 * Every problem is one ConfigError naming the parameter, e.g. `e3-risk-mdp: config.gamma must be in (0, 1), got 2`.
 */
export function resolveConfig<C extends object>(id: string, spec: ConfigSpec<C>, scale: Scale, overrides: unknown = {}): C {
  const fail = (where: string, what: string, got: unknown): never => {
    throw new ConfigError(`${where} ${what}, got ${showValue(got)}`);
  };
  try {
    const config = merge(spec.defaults(scale), overrides ?? {}, 'config', fail) as C;
    const ruleOf = (spec.rules ?? {}) as Record<string, Rule<never> | undefined>;
    for (const [k, v] of Object.entries(config)) {
      const bad = ruleFailure(v, ruleOf[k], `config.${k}`);
      if (bad) fail(bad.where, bad.what, bad.got);
    }
    const cross = spec.check?.(config);
    if (cross) fail(`config.${cross[0]}`, cross[1], (config as Record<string, unknown>)[cross[0]]);
    return config;
  } catch (err) {
    if (err instanceof ConfigError) throw new ConfigError(`${id}: ${err.message}`);
    throw err;
  }
}

/** A config as a two-column table (parameter, value), e.g. to show in a notebook the parameters a run used. */
export function configRows(config: object): { parameter: string; value: string }[] {
  return Object.entries(config).map(([parameter, v]) => ({ parameter, value: typeof v === 'string' ? v : JSON.stringify(v) }));
}
