/** No import cycles, type-only ones included (scripts/import-cycles.ts; ESLint's import-x/no-cycle skips `import type`). */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { importCycles, modulesUnder } from '../scripts/import-cycles';

const ROOT = path.resolve(__dirname, '..');

test('the project has no import cycle, counting type-only imports', () => {
  const files = modulesUnder(['lib', 'scripts', 'test'].map((d) => path.join(ROOT, d)));
  assert.ok(files.length > 100, `found ${files.length} modules`);
  const cycles = importCycles(files).map((c) => c.map((f) => path.relative(ROOT, f)).join(' -> '));
  assert.deepEqual(cycles, []);
});

test('a cycle made only of `import type` is found and named, as is a longer runtime one; an acyclic chain is not', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'mnm-cycles-')));
  try {
    const write = (name: string, src: string) => fs.writeFileSync(path.join(dir, name), src);
    // run.ts <-> paper.ts through a type import only: what the lint rule never reported.
    write('run.ts', "import type { PaperRow } from './paper';\nexport type Config = { rows: PaperRow[] };\n");
    write('paper.ts', "import type { Config } from './run';\nexport type PaperRow = { config: Config };\n");
    write('a.ts', "import { b } from './b';\nexport const a = () => b();\n");
    write('b.ts', "export { c as b } from './c';\n");
    write('c.ts', "import { a } from './a';\nexport const c = () => a;\n");
    write('leaf.ts', "import { a } from './a';\nimport type { Config } from './run';\nexport const leaf: Config | (() => unknown) = a;\n");
    const cycles = importCycles(modulesUnder([dir])).map((c) => c.map((f) => path.basename(f)));
    assert.deepEqual(cycles.map((c) => c.join(' -> ')).sort(), ['a.ts -> b.ts -> c.ts -> a.ts', 'paper.ts -> run.ts -> paper.ts']);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
