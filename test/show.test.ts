/** lib/show: the one way a message shows a user's character or value (issue 22). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkFinite, codePoints, isInvisible, mustBe, SHOW_MAX, showChar, showKey, showText, showValue } from '../lib/show';

test('a character that does not show is named by its code point; one that shows is quoted', () => {
  assert.equal(showChar('\ufeff'), 'U+FEFF (byte-order mark)');
  assert.equal(showChar('\r'), 'U+000D (carriage return)');
  assert.equal(showChar('\0'), 'U+0000 (NUL)');
  assert.equal(showChar('\t'), 'U+0009 (tab)');
  assert.equal(showChar('\u202e'), 'U+202E (right-to-left override)');
  assert.equal(showChar('\ud83d'), 'U+D83D (half of a surrogate pair)');
  assert.equal(showChar('\u0007'), 'U+0007 (control character)');
  assert.equal(showChar('x'), "'x'");
  assert.equal(showChar('😀'), "'😀'");
  assert.equal(showChar('é'), "'é'");
  assert.ok(!isInvisible(' ') && isInvisible('\u00a0'));
});

test('text is counted in code points, invisible characters escaped, long text cut with its length', () => {
  assert.deepEqual(codePoints('a😀b'), ['a', '😀', 'b']);
  assert.equal(showText('a\u202eb'), "'a<U+202E right-to-left override>b'");
  assert.equal(showText('say "hi"', SHOW_MAX, '"'), '"say \\"hi\\""');
  const long = showText('😀'.repeat(1000));
  assert.equal(long, `'${'😀'.repeat(SHOW_MAX)}…' (1000 characters)`);
  assert.equal(showKey('gamma'), 'gamma');
  assert.equal(showKey('--seeds'), '--seeds');
  assert.equal(showKey('a b'), "'a b'");
});

test('values: non-finite numbers as themselves, arrays and objects named, everything capped', () => {
  assert.equal(showValue(Infinity), 'Infinity (not finite)');
  assert.equal(showValue(-Infinity), '-Infinity (not finite)');
  assert.equal(showValue(NaN), 'NaN (not a number)');
  assert.equal(showValue(['1']), 'an array ["1"]');
  assert.equal(showValue({ x: 1 }), 'an object {"x": 1}');
  assert.equal(showValue('0.5'), '"0.5"');
  assert.equal(showValue(undefined), 'undefined');
  assert.equal(showValue(null), 'null');
  assert.equal(showValue(Float32Array.of(1, 2)), 'a Float32Array [1, 2]');
  const big = showValue(Array.from({ length: 1e6 }, (_, i) => i));
  assert.ok(big.length < 2 * SHOW_MAX, big);
  assert.match(big, /… \(1000000 in all\)\]$/);
  assert.ok(showValue({ k: 'v'.repeat(1 << 20) }).length < 3 * SHOW_MAX);
});

test('mustBe and checkFinite: one TypeError naming where, what and what was given', () => {
  assert.equal(mustBe('f: x', 'a finite number', [1]).message, 'f: x must be a finite number, got an array [1]');
  assert.equal(checkFinite('s', 3), 3);
  for (const bad of ['3', [3], Infinity, NaN, undefined])
    assert.throws(() => checkFinite('s', bad), /^TypeError: s must be a finite number, got /);
});

test('Rng refuses a seed that is not a number or a string (it would become "[object Object]")', async () => {
  const { Rng } = await import('../lib/rng');
  for (const bad of [{}, { x: 1 }, [1, 2], true, null, undefined, Infinity])
    assert.throws(() => new Rng(bad as number), /^TypeError: Rng: seed must be a finite number or a string, got /, String(bad));
  assert.equal(new Rng(3).uniform(), new Rng('3').uniform());
});
