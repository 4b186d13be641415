import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claim, markInconclusive, verdict } from '../../lib/claims';
import { deepInconclusive, sanityBars, type SanityRow, describeSanity } from '../../lib/experiments/deep-sanity';
import { decideExact } from '../../lib/stats';

/** Pendulum eval rows of SAC (G-matched and standard: the same curve) and MBPO over `seeds`: SAC's returns rise linearly to `end`, MBPO's twice as fast. */
function rows(seeds: number, sac: { end: number; q: number; mc: number }, mbpo: { end: number }): SanityRow[] {
  const out: SanityRow[] = [];
  for (let seed = 1; seed <= seeds; seed++)
    for (const step of [250, 500, 750, 1000]) {
      const f = step / 1000;
      const s = {
        seed,
        task: 'pendulum' as const,
        step,
        eval_return: -1200 + f * (sac.end + 1200),
        q_estimate: sac.q * f,
        mc_return: sac.mc,
      };
      out.push({ ...s, algo: 'sac' }, { ...s, algo: 'sac-standard', q_estimate: 0 });
      out.push({
        seed,
        task: 'pendulum',
        algo: 'mbpo',
        step,
        eval_return: -1200 + Math.min(1, 2 * f) * (mbpo.end + 1200),
        q_estimate: 0,
        mc_return: 0,
      });
    }
  return out;
}
/** deepInconclusive over n seeds whose sanity rows are `r`, with the random policy at `level` on Pendulum. */
const inconclusive = (r: SanityRow[], n: number, agents: Parameters<typeof deepInconclusive>[3], level = { mean: -1200, std: 300 }) =>
  deepInconclusive(
    n,
    r.filter((x) => x.seed <= n),
    Array.from({ length: n }, (_, i) => ({ seed: i + 1, task: 'pendulum' as const, ...level })),
    agents,
  );

test('sanity bars: SAC band, MBPO before standard SAC, critic within 5% of the value range — each can fail on its own', () => {
  const ok = sanityBars(rows(3, { end: -150, q: -100, mc: -110 }, { end: -150 }));
  assert.deepEqual(
    ok.map((b) => b.holds),
    [true, true, true],
  );
  const weak = sanityBars(rows(3, { end: -400, q: -100, mc: -110 }, { end: -150 }));
  assert.deepEqual(
    weak.map((b) => b.holds),
    [false, true, true],
  );
  assert.match(
    weak[1].measured,
    /standard SAC − MBPO, paired by seed: 750 \[750, 750\].*MBPO first on 3 of 3; standard SAC never on 3 \(counted at the budget plus one evaluation\)/,
  );
  // Neither in the band: said in words, not "MBPO at never, SAC at never".
  const neither = sanityBars(rows(3, { end: -400, q: -100, mc: -110 }, { end: -600 }));
  assert.equal(neither[1].measured, 'neither MBPO nor standard SAC reached the band');
  // The explanation names what the failed bars mean, and only theirs: a critic bar does not decide claims about returns.
  const words = describeSanity(rows(3, { end: -150, q: -50, mc: -110 }, { end: -150 }));
  assert.match(words, /Not met about critics.*critic is off its return.*No E9–E10 verdict depends on it/);
  assert.doesNotMatch(words, /has not learned|`inconclusive`/);
  const unlearned = describeSanity(rows(3, { end: -400, q: -100, mc: -110 }, { end: -150 }));
  assert.match(
    unlearned,
    /1 of the 2 learning bars is not met, so the E9–E10 verdicts at this scale are `inconclusive`: the shared learner/,
  );
  const slowMbpo = sanityBars(rows(3, { end: -150, q: -100, mc: -110 }, { end: -600 }));
  assert.equal(slowMbpo[1].holds, false);
  assert.match(slowMbpo[1].measured, /-250 \[-250, -250\].*MBPO first on 0 of 3; MBPO never on 3/);
  // Paired by seed: MBPO first on most seeds holds where one late seed would hold the mean curve back.
  const mixed = rows(4, { end: -150, q: -100, mc: -110 }, { end: -150 }).map((r) =>
    r.algo === 'mbpo' && r.seed === 4 ? { ...r, eval_return: r.step < 1000 ? -900 : -150 } : r,
  );
  const bar = sanityBars(mixed)[1];
  assert.equal(bar.holds, false, 'one seed where MBPO is last widens the interval past 0 at 4 seeds');
  assert.match(bar.measured, /MBPO first on 3 of 4/);
  // |Q − G_soft| = 60 against 5% of Pendulum's D = 576.7 (28.8): fails; 10 holds.
  const lag = sanityBars(rows(3, { end: -150, q: -50, mc: -110 }, { end: -150 }));
  assert.equal(lag[2].holds, false);
  assert.match(lag[2].measured, /mean \|Q − G_soft\| 60 \(10\.4% of D\) over 3 seeds; the bar is 28\.8/);
  // The experiment's own task gets its own critic bar, against its own D (point maze: 117.4, bar 5.87).
  const maze = (gap: number): SanityRow[] =>
    [1, 2, 3].map((seed) => ({
      seed,
      task: 'point-maze',
      algo: 'sac',
      step: 1000,
      eval_return: -60,
      q_estimate: -60 + gap,
      mc_return: -60,
    }));
  const withMaze = (gap: number) => sanityBars([...rows(3, { end: -150, q: -100, mc: -110 }, { end: -150 }), ...maze(gap)]);
  assert.deepEqual(
    withMaze(5).map((b) => [b.id, b.holds]),
    [
      ['sanity.sac-pendulum-band', true],
      ['sanity.mbpo-reaches-band-first', true],
      ['sanity.sac-critic-tracks-return', true],
      ['sanity.sac-critic-tracks-return-point-maze', true],
    ],
  );
  assert.equal(withMaze(7)[3].holds, false);
});

test('deep verdicts are inconclusive with a reason: under 3 seeds, a failed learning bar, every agent at random level', () => {
  const good = rows(3, { end: -150, q: -100, mc: -110 }, { end: -150 });
  const agents = [{ task: 'pendulum' as const, agent: 'SAC', returns: [-150, -160, -170] }];
  assert.equal(inconclusive(good, 3, agents), null);
  assert.match(inconclusive(good, 2, agents) as string, /^only 2 seeds ran; a verdict needs at least 3$/);
  const bad = rows(3, { end: -400, q: -100, mc: -110 }, { end: -150 });
  assert.match(
    inconclusive(bad, 3, agents) as string,
    /sanity bar failed at this scale: model-free SAC reaches the Pendulum band \(not met: SAC mean final return -400/,
  );
  // A critic off its return (|Q − G_soft| = 60 > 28.8) leaves claims about returns decidable.
  assert.equal(inconclusive(rows(3, { end: -150, q: -50, mc: -110 }, { end: -150 }), 3, agents), null);
  const random = [{ task: 'pendulum' as const, agent: 'SAC', returns: [-1100, -1000, -950] }];
  assert.match(inconclusive(good, 3, random) as string, /every agent is at random-policy level/);
  // One agent above the random level is enough for a verdict.
  assert.equal(inconclusive(good, 3, [...random, ...agents]), null);
});

test('one verdict word per outcome; an inconclusive claim keeps its reason', () => {
  const c = claim({
    id: 'X.y',
    experiment: 'x',
    claim: 'c',
    paper: 'p',
    measured: 'm',
    origin: 'project',
    evidence: [decideExact('d', 'above', 0, -1)],
  });
  assert.equal(verdict(c), 'does not hold');
  assert.equal(verdict({ ...c, holds: true }), 'holds');
  const [i] = markInconclusive([c], 'only 1 seed ran');
  assert.equal(verdict(i), 'inconclusive');
  assert.equal(i.inconclusive, 'only 1 seed ran');
  assert.deepEqual(markInconclusive([c], null), [c]);
  assert.throws(
    () => claim({ ...c, origin: 'project', evidence: c.evidence ?? [], inconclusive: '' }),
    /'inconclusive' must be the reason/,
  );
});
