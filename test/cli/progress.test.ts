/** Progress lines: one redrawn line on a terminal, plain lines otherwise, and an estimate of the time left. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fmtDuration, Progress } from '../../lib/cli/progress';

function units(experiment: string, n: number) {
  return Array.from({ length: n }, (_, seed) => ({ experiment, seed }));
}

function fakeStream(tty: boolean) {
  const chunks: string[] = [];
  const stream = { isTTY: tty, columns: 80, write: (s: string) => chunks.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, text: () => chunks.join(''), chunks };
}

test('on a terminal: one line redrawn in place, finished seeds printed above it', () => {
  const f = fakeStream(true);
  const p = new Progress(units('e1', 4), { stream: f.stream, tty: true });
  p.start({ experiment: 'e1', seed: 0 });
  p.start({ experiment: 'e1', seed: 1 });
  p.finish({ experiment: 'e1', seed: 0 }, 1.25);
  const text = f.text();
  assert.ok(text.includes('\r\x1b[2K'), 'redraws with carriage return + clear line');
  assert.match(text, /\[1\/4 seeds, ~\S+ left\] e1 seed 0 done in 1\.3 s\n/);
  assert.match(text, /e1#1 0%/);
  for (const chunk of f.chunks)
    for (const line of chunk.split('\n')) assert.ok(line.replace(/\r\x1b\[2K/g, '').length < 80, 'fits the terminal width');
  p.clear();
  assert.ok(f.text().endsWith('\r\x1b[2K'));
});

test('not on a terminal: plain lines only, no control characters', () => {
  const f = fakeStream(false);
  const p = new Progress(units('e2', 2), { stream: f.stream, tty: false });
  p.start({ experiment: 'e2', seed: 0 });
  p.update({ experiment: 'e2', seed: 0 }, 5, 10, 'episode 5');
  p.finish({ experiment: 'e2', seed: 0 }, 2);
  p.fail({ experiment: 'e2', seed: 1 }, 'boom');
  assert.ok(!/[\r\x1b]/.test(f.text()));
  assert.deepEqual(
    f
      .text()
      .trim()
      .split('\n')
      .map((l) => l.replace(/~\S+ left/, '~T left')),
    ['[0/2 seeds, ~T left] e2 seed 0 started', '[1/2 seeds, ~T left] e2 seed 0 done in 2.0 s', 'e2 seed 1 FAILED: boom'],
  );
});

test("time left: per experiment, from finished seeds or the running seeds' pace, shared over the lanes", () => {
  let now = 0;
  const p = new Progress([...units('tab', 3), ...units('deep', 2)], {
    lanes: 2,
    stream: fakeStream(false).stream,
    tty: false,
    now: () => now * 1000,
  });
  assert.ok(Number.isNaN(p.eta()), 'unknown before anything is known');
  p.start({ experiment: 'tab', seed: 0 });
  p.start({ experiment: 'tab', seed: 1 });
  now = 2;
  p.update({ experiment: 'tab', seed: 0 }, 1, 2);
  // tab runs at 4 s a seed (half done in 2 s); nothing is known about deep yet, so it is priced like tab.
  // tab 0: 2 s left; tab 1 (no progress reported): 4 - 2 = 2 s; tab 2: 4 s; deep 0 and 1: 4 s each → 16 s over 2 lanes.
  assert.equal(p.eta(), 8);
  p.finish({ experiment: 'tab', seed: 0 }, 4);
  p.finish({ experiment: 'tab', seed: 1 }, 4);
  p.start({ experiment: 'tab', seed: 2 });
  p.start({ experiment: 'deep', seed: 0 });
  now = 12;
  p.update({ experiment: 'deep', seed: 0 }, 1, 10);
  // deep 0 is a tenth done after 10 s: 90 s left, and deep 1 will take 100 s; tab 2: 4 - 10 → 0.
  assert.equal(p.eta(), (90 + 100 + 0) / 2);
  p.skip({ experiment: 'deep', seed: 1 });
  assert.equal(p.eta(), 90 / 2);
  assert.equal(fmtDuration(59), '59s');
  assert.equal(fmtDuration(61), '1m01s');
  assert.equal(fmtDuration(3 * 3600 + 5 * 60), '3h05m');
});
