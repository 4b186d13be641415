// Claims: the verdict comes from the rule when evidence is given; claims.json's record carries origin, effect, margin, power.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { claim, claimRecord, claimsMarkdown, countVerdicts, markInconclusive, verdict } from '../lib/claims';
import { decide, exactValue, pairedInterval } from '../lib/stats';

const base = { id: 'X.a', experiment: 'x', claim: 'a above b', paper: 'Fig. 1', measured: 'numbers' };

test('a claim with evidence takes its verdict from the rule, with the reason when inconclusive', () => {
  const ev = (a: number[], b: number[]) => [decide({ quantity: 'a − b', direction: 'above', margin: 0.5 }, pairedInterval(a, b))];
  const holds = claim({ ...base, origin: 'paper', evidence: ev([2, 3, 4], [1, 2, 3]) });
  assert.equal(verdict(holds), 'holds');
  const open = claim({ ...base, origin: 'paper', evidence: ev([2, 3, 1], [1, 2, 3]) });
  assert.equal(verdict(open), 'inconclusive');
  assert.match(open.inconclusive ?? '', /straddles the margin 0\.5/);
  const fails = claim({ ...base, origin: 'paper', evidence: ev([1, 2, 3], [1, 2, 3]) });
  assert.equal(verdict(fails), 'does not hold');
  // A sanity bar's reason overrides the rule.
  assert.equal(markInconclusive([holds], 'SAC missed its band')[0].inconclusive, 'SAC missed its band');
  assert.throws(() => claim({ ...base, origin: 'paper', evidence: [] }), /'evidence' must list at least one decision/);
  assert.throws(
    () => claim({ ...base, origin: 'theirs' as 'paper', evidence: ev([2], [1]) }),
    /'origin' must be one of paper, derived, project/,
  );
  assert.throws(() => claim({ ...base, origin: 'paper', evidence: ev([2], [1]), power: 1.5 }), /'power' must be in \[0, 1\]/);
});

test("claims.json's record: origin, effect text, margin (one, or one per part), evidence, seeds, pilot, power, verdict", () => {
  const parts = [
    decide({ quantity: 'a − b', direction: 'above', margin: 0 }, exactValue(1)),
    decide({ quantity: 'c', direction: 'below', margin: 1 }, exactValue(0)),
  ];
  const c = claim({ ...base, origin: 'derived', evidence: parts, seeds: 10, pilot: 'data/pilots/x.json', power: 0.86 });
  const r = claimRecord(c);
  assert.equal(r.origin, 'derived');
  assert.equal(r.effect, 'a − b > 0; and c < 1');
  assert.deepEqual(r.margin, [0, 1]);
  assert.deepEqual([r.seeds, r.pilot, r.power, r.verdict], [10, 'data/pilots/x.json', 0.86, 'holds']);
  assert.equal(r.evidence[1].interval, 'exact');
  assert.equal(claimRecord(claim({ ...base, origin: 'project', evidence: parts.slice(0, 1) })).margin, 0);
});

test('the Markdown tables group claims by origin and count the three verdicts', () => {
  const e = (x: number) => [decide({ quantity: 'd', direction: 'above', margin: 0 }, exactValue(x))];
  const claims = [
    claim({ ...base, id: 'P', origin: 'paper', evidence: e(1) }),
    claim({ ...base, id: 'Q', origin: 'project', evidence: e(-1) }),
    claim({ ...base, id: 'R', origin: 'paper', evidence: e(0) }),
  ];
  const md = claimsMarkdown(claims);
  assert.ok(md.indexOf('Claims the paper makes') < md.indexOf("The project's own"));
  assert.match(md, /Claims the paper makes\*\* \(1 hold, 0 do not hold, 1 inconclusive\)/);
  assert.equal(countVerdicts(claims).text, '1 hold, 1 does not hold, 1 inconclusive');
});
