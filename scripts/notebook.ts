/**
 * Authoring aid: turns a percent-format script into a notebook for the tslab kernel.
 *
 *   tsx scripts/notebook.ts SCRIPT.ts OUT.ipynb
 *
 * In SCRIPT.ts, a line `// %% [markdown]` starts a Markdown cell (its lines keep a leading `// `, which is
 * stripped) and a line `// %%` starts a code cell. Cell ids are derived from the notebook name and position,
 * so rebuilding gives the same file. The .ipynb files are the source of truth; this is only a way to write them.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '../lib/io';

interface Cell {
  cell_type: 'code' | 'markdown';
  id: string;
  metadata: object;
  source: string[];
  outputs?: [];
  execution_count?: null;
}

export function scriptToNotebook(text: string, name: string): object {
  const cells: Cell[] = [];
  let kind: 'code' | 'markdown' | null = null;
  let lines: string[] = [];
  const flush = () => {
    while (lines.length && lines[lines.length - 1].trim() === '') lines.pop();
    while (lines.length && lines[0].trim() === '') lines.shift();
    if (kind && lines.length) {
      const src = kind === 'markdown' ? lines.map((l) => l.replace(/^\/\/ ?/, '')) : lines;
      const source = src.map((l, i) => (i < src.length - 1 ? l + '\n' : l));
      const id = `${name.replace(/[^a-zA-Z0-9]/g, '-')}-${cells.length}`;
      cells.push(
        kind === 'code'
          ? { cell_type: 'code', id, metadata: {}, source, outputs: [], execution_count: null }
          : { cell_type: 'markdown', id, metadata: {}, source },
      );
    }
    lines = [];
  };
  for (const line of text.split('\n')) {
    const m = /^\/\/ %%( \[markdown\])?\s*$/.exec(line);
    if (m) {
      flush();
      kind = m[1] ? 'markdown' : 'code';
    } else if (kind) lines.push(line);
  }
  flush();
  return {
    cells,
    metadata: {
      kernelspec: { display_name: 'TypeScript', language: 'typescript', name: 'tslab' },
      language_info: { name: 'typescript', file_extension: '.ts', mimetype: 'text/typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

if (require.main === module) {
  const [src, out] = process.argv.slice(2);
  if (!src || !out) {
    console.error('usage: tsx scripts/notebook.ts SCRIPT.ts OUT.ipynb');
    process.exit(2);
  }
  const nb = scriptToNotebook(fs.readFileSync(src, 'utf8'), path.basename(out, '.ipynb'));
  writeFileAtomic(out, JSON.stringify(nb, null, 1) + '\n');
  console.log(`wrote ${out}`);
}
