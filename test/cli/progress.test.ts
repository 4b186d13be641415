/** Progress lines: one redrawn line on a terminal, plain lines otherwise, and an estimate of the time left. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtDuration, Progress } from '../../lib/cli/progress';

function fakeStream(tty: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY: tty, columns: 80, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join(''), chunks };
}

test('on a terminal: one line redrawn in place, finished seeds printed above it', () => {
  const f = fakeStream(true);
  const p = new Progress(4, f.stream, true);
  p.start({ experiment: 'e1', seed: 0 });
  p.start({ experiment: 'e1', seed: 1 });
  p.finish({ experiment: 'e1', seed: 0 }, 1.25);
  const text = f.text();
  assert.ok(text.includes('\r\x1b[2K'), 'redraws with carriage return + clear line');
  assert.match(text, /\[1\/4 seeds, ~\S+ left\] e1 seed 0 done in 1\.3 s\n/);
  assert.match(text, /e1#1 0%/);
  for (const chunk of f.chunks) for (const line of chunk.split('\n')) assert.ok(line.replace(/\r\x1b\[2K/g, '').length < 80, 'fits the terminal width');
  p.clear();
  assert.ok(f.text().endsWith('\r\x1b[2K'));
});

test('not on a terminal: plain lines only, no control characters', () => {
  const f = fakeStream(false);
  const p = new Progress(2, f.stream, false);
  p.start({ experiment: 'e2', seed: 0 });
  p.update({ experiment: 'e2', seed: 0 }, 5, 10, 'episode 5');
  p.finish({ experiment: 'e2', seed: 0 }, 2);
  p.fail({ experiment: 'e2', seed: 1 }, 'boom');
  assert.ok(!/[\r\x1b]/.test(f.text()));
  assert.deepEqual(f.text().trim().split('\n').map((l) => l.replace(/~\S+ left/, '~T left')), [
    '[0/2 seeds, ~T left] e2 seed 0 started',
    '[1/2 seeds, ~T left] e2 seed 0 done in 2.0 s',
    'e2 seed 1 FAILED: boom',
  ]);
});

test('time left follows the fraction of work done, running seeds counted by their progress', () => {
  let now = 0;
  const p = new Progress(4, fakeStream(false).stream, false, () => now);
  assert.ok(Number.isNaN(p.eta()), 'unknown before anything is done');
  p.start({ experiment: 'e', seed: 0 });
  p.start({ experiment: 'e', seed: 1 });
  now = 10_000;
  p.update({ experiment: 'e', seed: 0 }, 1, 2);
  // Half a seed of four done in 10 s: 3.5 seeds left at that pace is 70 s.
  assert.equal(p.eta(), 70);
  p.finish({ experiment: 'e', seed: 0 }, 10);
  p.update({ experiment: 'e', seed: 1 }, 1, 1);
  // Two of four done in 10 s: 10 s left.
  assert.equal(p.eta(), 10);
  assert.equal(fmtDuration(59), '59s');
  assert.equal(fmtDuration(61), '1m01s');
  assert.equal(fmtDuration(3 * 3600 + 5 * 60), '3h05m');
});
