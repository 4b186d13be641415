// scripts/lint-notebooks.ts: a notebook's code cells are type-checked and linted as one module, and each problem is
// named by notebook, cell and line in the cell.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { test } from 'node:test';
import { formatProblem, lintNotebooks, notebookModule } from '../../scripts/lint-notebooks';

const FIXTURE = path.join(__dirname, '..', 'fixtures', 'lint-problems.ipynb');

test('the code cells become one module, in order, each cell where the line map says', () => {
  const mod = notebookModule(FIXTURE);
  assert.deepEqual(
    mod.cells.map((c) => c.cell),
    [2, 4],
  );
  const lines = mod.text.split('\n');
  assert.equal(lines[mod.cells[1].firstLine], 'const m = await Promise.resolve(mean(xs));');
  assert.equal(mod.file, `${FIXTURE}.ts`);
});

test('a cast and a type error are found, each at its notebook, cell and line, and nothing else', async () => {
  const problems = await lintNotebooks([FIXTURE]);
  assert.deepEqual(
    problems.map((p) => [p.cell, p.line, p.code]),
    [
      [4, 2, 'TS2322'],
      [2, 2, '@typescript-eslint/consistent-type-assertions'],
    ],
  );
  assert.match(
    formatProblem(problems[0]),
    /^test\/fixtures\/lint-problems\.ipynb cell 4 line 2: Type 'number' is not assignable to type 'string'/,
  );
});
