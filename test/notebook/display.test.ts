// What a notebook shows of a Polars table: its rows, shape and column types as HTML.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { tableHtml } from '../../lib/notebook/display';

test('a DataFrame shows as an HTML table with its shape, and long tables say how many rows are left out', () => {
  const df = pl.DataFrame({ a: [1, 2, 3], b: ['x', 'y', 'x'] });
  const agg = df.groupBy('b').agg(pl.col('a').sum()).sort('b');
  assert.deepEqual(agg.getColumn('a').toArray(), [4, 2]);
  const html = tableHtml(df);
  assert.match(html, /<table/);
  assert.match(html, /shape: \(3, 2\)/);
  assert.match(tableHtml(df, 2), /… 1 more rows/);
  assert.doesNotMatch(html, /more rows/);
});
