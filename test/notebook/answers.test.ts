// The generated Answer and Summary: every verdict comes from the claims, an inconclusive one with its reason.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import type { Claim } from '../../lib/experiment';
import { runExperiment } from '../../lib/experiment';
import { e1GridworldOptimism } from '../../lib/experiments/e1-gridworld-optimism';
import { e2CapacityLimited } from '../../lib/experiments/e2-capacity-limited';
import { e3RiskMDP } from '../../lib/experiments/e3-risk-mdp';
import { e4BoundAlongVI } from '../../lib/experiments/e4-bound-along-vi';
import {
  answerDeepComparison,
  answerE1,
  answerMarkdown,
  COUNTERPARTS,
  e10TaskSentences,
  headline,
  reconcile,
} from '../../lib/notebook/answers';

const claim = (id: string, holds: boolean, measured: string, inconclusive?: string): Claim => ({
  id,
  experiment: 'x',
  claim: `[paper setting] claim ${id}`,
  paper: 'Fig. 1',
  holds,
  measured,
  ...(inconclusive === undefined ? {} : { inconclusive }),
});

test('the answer lists each half with its verdicts and headline numbers, and the summary counts them', () => {
  const paper = {
    claims: [claim('a', true, 'A 1.5 ± 0.2 (n=5); paired difference 0.3 ± 0.1'), claim('b', false, 'B 2 | Project setting: …')],
  };
  const project = { claims: [claim('c', false, 'C 7', 'SAC did not reach the Pendulum band')] };
  const md = answerMarkdown(answerE1(project, paper));
  assert.match(md, /^\*\*Answer\.\*\*/);
  assert.match(md, /claim a: holds\. Measured: A 1\.5 ± 0\.2 \(n=5\)\./);
  assert.match(md, /claim b: does \*\*not\*\* hold\. Measured: B 2\./);
  assert.match(md, /claim c: is \*\*inconclusive\*\* \(SAC did not reach the Pendulum band\)/);
  assert.doesNotMatch(md, /\[paper setting\]/);
  assert.doesNotMatch(md, /paired difference|Project setting/);
  const summary = md.split('**Summary**')[1].trim().split('\n');
  assert.equal(summary.length, 3);
  assert.match(summary[0], /1 of 2 claims hold \(not: "claim b"\)/);
  assert.match(summary[1], /0 of 1 claim hold, 1 inconclusive/);
});

test('headline keeps brackets whole and stops at the first clause', () => {
  assert.equal(headline('x (a; b) y; z'), 'x (a; b) y');
  assert.equal(headline('no clause'), 'no clause');
  assert.equal(headline('J* = 2, J*/2 = 1'), 'J\\* = 2, J\\*/2 = 1', 'a star cannot start an emphasis');
  assert.equal(
    headline('MnM-approx 23.7 (n=1, no spread), MBPO 43.6 (n=1, no spread); difference'),
    'MnM-approx 23.7 (n=1, no spread), MBPO 43.6 (n=1, no spread)',
  );
});

test("E10's task sentences name an agent that ends far below the best", () => {
  const table = pl.DataFrame([
    { panel: 'inverted-pendulum', x: 'SAC (model-free)', mean: 1000, seeds: 5 },
    { panel: 'inverted-pendulum', x: 'MBPO', mean: 990, seeds: 5 },
    { panel: 'inverted-pendulum', x: 'MnM-approx', mean: 274, seeds: 5 },
    { panel: 'pendulum', x: 'SAC (model-free)', mean: -150, seeds: 5 },
    { panel: 'pendulum', x: 'MBPO', mean: -160, seeds: 5 },
    { panel: 'pendulum', x: 'MnM-approx', mean: -170, seeds: 5 },
  ]);
  const [ip, pend] = e10TaskSentences({ tables: { final_returns: table } });
  assert.match(ip, /MnM-approx ends far below SAC \(model-free\): 274 against 1000/);
  assert.doesNotMatch(pend, /far below/);
  const md = answerMarkdown(answerDeepComparison({ claims: [] }, { claims: [], tables: { final_returns: table } }, { claims: [] }));
  assert.match(md, /far below/);
});

test('a reason shared by several inconclusive claims is given once; a long list of failures stays out of the summary', () => {
  const reason = 'sanity bar failed at this scale';
  const part = { claims: ['a', 'b', 'c'].map((id) => claim(id, true, `${id} 1`, reason)) };
  const md = answerMarkdown(answerE1(part, part));
  assert.equal(md.split(reason).length - 1, 2, 'once per part');
  assert.match(md, /claim a: is \*\*inconclusive\*\* \(why: below\)/);
  assert.match(md, /Why these 3 are inconclusive: sanity bar failed at this scale\./);
  const many = { claims: ['a', 'b', 'c', 'd'].map((id) => claim(id, id === 'a', `${id} 1`)) };
  const summary = answerMarkdown(answerE1(many, many)).split('**Summary**')[1];
  assert.doesNotMatch(summary, /not:/);
});

test('every paper claim paired in COUNTERPARTS, and every counterpart, is a claim the reports make', async () => {
  const ids = new Set<string>();
  const options = { scale: 'smoke' as const, seeds: 1, config: { setting: 'both' as const } };
  const reports = [
    await runExperiment(e1GridworldOptimism, options),
    await runExperiment(e2CapacityLimited, options),
    await runExperiment(e3RiskMDP, options),
    await runExperiment(e4BoundAlongVI, options),
  ];
  for (const rep of reports) for (const c of rep.claims) ids.add(c.id);
  for (const [paper, project] of Object.entries(COUNTERPARTS)) for (const id of [paper, ...project]) assert.ok(ids.has(id), id);
});

test('reconcile says, per paired paper claim, whether the halves agree', () => {
  const paper = [{ ...claim('E3.paper.mnm-return-optimal', true, 'x'), claim: 'MnM paper' }];
  const project = [{ ...claim('E3.mnm-reward-side', false, 'y'), claim: 'MnM project' }];
  const lines = reconcile(paper, project).join('\n');
  assert.match(
    lines,
    /"MnM paper" holds under the paper's setting; under the project's, "MnM project" does \*\*not\*\* hold: \*\*the halves differ\*\*/,
  );
  assert.deepEqual(reconcile(paper, []), []);
});
