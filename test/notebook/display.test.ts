// What a notebook shows of a Polars table: its rows as a reader writes them, wide settings tables transposed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pl from 'nodejs-polars';
import { tableHtml } from '../../lib/notebook/display';

test('a DataFrame shows as an HTML table without dtype noise, and long tables say how many rows are left out', () => {
  const df = pl.DataFrame({ a: [1, 2, 3], b: ['x', 'y', 'x'], c: [0.5, 2, 1 / 3] });
  const html = tableHtml(df);
  assert.match(html, /<table class="dataframe">/);
  assert.doesNotMatch(html, /DataType|Float64|Utf8|String\b/, 'no dtype line');
  assert.match(html, /<td>2<\/td>/, 'an integer-valued float prints as an integer');
  assert.match(html, /<td>0\.33333<\/td>/);
  assert.match(tableHtml(df, 2), /… 1 more rows/);
  assert.doesNotMatch(html, /more rows/);
});

test('a wide table with few rows is transposed: one row per column, headed by the first column', () => {
  const cols = Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, [i, i + 0.5]]));
  const df = pl.DataFrame({ agent: ['SAC', 'MBPO'], ...cols });
  const html = tableHtml(df);
  assert.match(html, /class="dataframe transposed"/);
  assert.match(html, /<thead><tr><th>agent<\/th><th>SAC<\/th><th>MBPO<\/th><\/tr><\/thead>/);
  assert.match(html, /<tr><th>k3<\/th><td>3<\/td><td>3\.5<\/td><\/tr>/);
  assert.equal((html.match(/<tr>/g) ?? []).length, 13);
  const tall = pl.DataFrame({
    agent: Array.from({ length: 10 }, (_, i) => `a${i}`),
    ...Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`k${i}`, Array(10).fill(i)])),
  });
  assert.doesNotMatch(tableHtml(tall), /transposed/, 'a long table keeps its orientation');
});
