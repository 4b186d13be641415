/** Experiment configs: defaults per scale, overrides laid over them, and one error naming a bad parameter. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfig, ConfigError, NO_CONFIG, resolveConfig, rules } from '../lib/config';
import { runExperiment } from '../lib/experiment';
import { e3RiskMDP } from '../lib/experiments/e3-risk-mdp';

const spec = {
  defaults: (scale: 'smoke' | 'quick' | 'paper') => ({
    gamma: 0.9,
    episodes: scale === 'smoke' ? 10 : 1000,
    mode: 'a' as 'a' | 'b',
    grid: [1, 2],
    nested: { lr: 0.1 },
  }),
  rules: { gamma: rules.between(0, 1, true), episodes: rules.intAtLeast(2), mode: rules.oneOf(['a', 'b'] as const) },
  check: (c: { episodes: number; grid: number[] }): [string, string] | null =>
    c.grid.length > c.episodes ? ['grid', 'must not be longer than episodes'] : null,
};

test('defaults depend on the scale; overrides replace only what they name', () => {
  assert.equal(resolveConfig('x', spec, 'smoke').episodes, 10);
  assert.equal(resolveConfig('x', spec, 'quick').episodes, 1000);
  assert.deepEqual(resolveConfig('x', spec, 'smoke', { gamma: 0.5, nested: { lr: 0.2 } }), {
    gamma: 0.5,
    episodes: 10,
    mode: 'a',
    grid: [1, 2],
    nested: { lr: 0.2 },
  });
  assert.deepEqual(resolveConfig('x', NO_CONFIG, 'paper'), {});
});

test('a bad parameter is one error naming the experiment, the parameter, the rule and the value', () => {
  const bad: [unknown, string][] = [
    [{ gamma: 2 }, 'x: config.gamma must be in (0, 1), got 2'],
    [{ gamma: '0.5' }, 'x: config.gamma must be a finite number, got "0.5"'],
    [{ episodes: 1.5 }, 'x: config.episodes must be an integer >= 2, got 1.5'],
    [{ mode: 'c' }, 'x: config.mode must be one of a, b, got "c"'],
    [{ gama: 0.5 }, 'x: config.gama is not a parameter (expected one of gamma, episodes, mode, grid, nested)'],
    [{ grid: [1, 'two'] }, 'x: config.grid[1] must be a finite number, got "two"'],
    [{ grid: 3 }, 'x: config.grid must be an array, got 3'],
    [{ nested: { lr: null } }, 'x: config.nested.lr must be a finite number, got null'],
    [{ grid: [1, 2, 3], episodes: 2 }, 'x: config.grid must not be longer than episodes, got an array [1, 2, 3]'],
    [[1], 'x: config must be an object, got an array [1]'],
  ];
  for (const [overrides, message] of bad) {
    assert.throws(
      () => resolveConfig('x', spec, 'smoke', overrides),
      (err: Error) => err instanceof ConfigError && err.message === message,
      message,
    );
  }
  assert.throws(
    () => resolveConfig('y', NO_CONFIG, 'smoke', { a: 1 }),
    /^Error: y: config.a is not a parameter \(this experiment has none\)$/,
  );
});

test('config errors show what was given as it was: 1e999 not null, an array as an array, invisible characters named, long values cut (issue 22)', () => {
  const message = (overrides: unknown) => {
    try {
      resolveConfig('x', spec, 'smoke', overrides);
    } catch (err) {
      return (err as Error).message;
    }
    assert.fail('accepted');
  };
  assert.equal(message(JSON.parse('{"gamma": 1e999}')), 'x: config.gamma must be a finite number, got Infinity (not finite)');
  assert.equal(message({ gamma: ['0.5'] }), 'x: config.gamma must be a finite number, got an array ["0.5"]');
  assert.equal(message({ mode: 'a\u202eb' }), 'x: config.mode must be one of a, b, got "a<U+202E right-to-left override>b"');
  assert.equal(message({ '\ufeffgamma': 0.5 }).split(' is not')[0], "x: config.'<U+FEFF byte-order mark>gamma'");
  const long = message({ mode: 'z'.repeat(1 << 20) });
  assert.ok(long.length < 200, `${long.length} characters`);
  assert.match(long, /…" \(1048576 characters\)$/);
});

test('runExperiment checks its config before any seed runs', async () => {
  await assert.rejects(
    runExperiment(e3RiskMDP, { scale: 'smoke', config: { gamma: 2 } }),
    /^Error: e3-risk-mdp: config\.gamma must be in \(0, 1\), got 2$/,
  );
});

test('runSeed and report see the overridden config (E3 with fewer sampled episodes)', async () => {
  const rep = await runExperiment(e3RiskMDP, { scale: 'smoke', seeds: 1, config: { episodes: 50 } });
  assert.equal(rep.config.episodes, 50);
  assert.equal(rep.results[0].tables.sampled[0].episodes, 50);
  assert.match(rep.claims.find((c) => c.id === 'E3.sampled-moments-match')!.measured, /1 seeds × 50 episodes per side/);
});

test('an object-valued parameter has a rule per field and a cross-check; errors name parameter.field', () => {
  const nested = {
    defaults: () => ({ pendulum: { tau: 0.005, members: 7, elites: 5 } }),
    rules: {
      pendulum: rules.fields<{ tau: number; members: number; elites: number }>(
        { tau: rules.between(0, 1), members: rules.intAtLeast(1) },
        (s) => (s.elites > s.members ? ['elites', 'must be at most members'] : null),
      ),
    },
  };
  assert.equal(resolveConfig('x', nested, 'smoke', { pendulum: { tau: 0.01 } }).pendulum.tau, 0.01);
  for (const [overrides, message] of [
    [{ pendulum: { tau: 2 } }, 'x: config.pendulum.tau must be in [0, 1], got 2'],
    [{ pendulum: { members: 0 } }, 'x: config.pendulum.members must be an integer >= 1, got 0'],
    [{ pendulum: { elites: 8 } }, 'x: config.pendulum.elites must be at most members, got 8'],
    [{ pendulum: { taux: 1 } }, 'x: config.pendulum.taux is not a parameter (expected one of tau, members, elites)'],
  ] as const) {
    assert.throws(
      () => resolveConfig('x', nested, 'smoke', overrides),
      (err: Error) => err instanceof ConfigError && err.message === message,
      message,
    );
  }
  assert.throws(
    () => checkConfig('run', { steps: 0 }, rules.fields<{ steps: number }>({ steps: rules.intAtLeast(1) })),
    /^Error: run: steps must be an integer >= 1, got 0$/,
  );
});
