/**
 * No import cycles, `import type` included. ESLint's import-x/no-cycle skips type-only imports (they vanish at run
 * time), but a type-only cycle is still an arrow running back up the layers. This reads every module's imports the
 * way the code fingerprint does (projectImports in lib/fingerprint.ts) and names each cycle it finds.
 *   npx tsx scripts/import-cycles.ts      (run by `npm run lint`; exit 1 and one line per cycle when there is one)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PROJECT_ROOT, projectImports } from '../lib/fingerprint';

/** The TypeScript modules under `dirs` (real paths), skipping node_modules and dot-folders. */
export function modulesUnder(dirs: string[]): string[] {
  const walk = (dir: string): string[] =>
    fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) return e.name === 'node_modules' || e.name.startsWith('.') ? [] : walk(full);
      return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [fs.realpathSync(full)] : [];
    });
  return dirs.filter((d) => fs.existsSync(d)).flatMap(walk);
}

/** Every import cycle among `files`, one per strongly connected group, each as the path of files that closes it. */
export function importCycles(files: string[]): string[][] {
  const inSet = new Set(files);
  const edges = new Map(files.map((f) => [f, [...new Set(projectImports(f))].filter((d) => inSet.has(d))]));
  // Tarjan's strongly connected components, iteratively (no recursion depth to run out of).
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const groups: string[][] = [];
  let next = 0;
  for (const root of files) {
    if (index.has(root)) continue;
    const work: { node: string; i: number }[] = [{ node: root, i: 0 }];
    index.set(root, next);
    low.set(root, next++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1];
      const deps = edges.get(top.node)!;
      if (top.i < deps.length) {
        const d = deps[top.i++];
        if (!index.has(d)) {
          index.set(d, next);
          low.set(d, next++);
          stack.push(d);
          onStack.add(d);
          work.push({ node: d, i: 0 });
        } else if (onStack.has(d)) low.set(top.node, Math.min(low.get(top.node)!, index.get(d)!));
        continue;
      }
      work.pop();
      if (work.length) low.set(work[work.length - 1].node, Math.min(low.get(work[work.length - 1].node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        const group: string[] = [];
        let x: string;
        do {
          x = stack.pop()!;
          onStack.delete(x);
          group.push(x);
        } while (x !== top.node);
        if (group.length > 1 || edges.get(top.node)!.includes(top.node)) groups.push(group);
      }
    }
  }
  // One concrete cycle per group: the shortest way from its first file back to itself, inside the group.
  return groups.map((group) => {
    const members = new Set(group);
    const start = [...group].sort()[0];
    const from = new Map<string, string>();
    const queue = [start];
    for (let k = 0; k < queue.length; k++) {
      for (const d of edges.get(queue[k])!) {
        if (!members.has(d) || from.has(d)) continue;
        from.set(d, queue[k]);
        if (d === start) break;
        queue.push(d);
      }
      if (from.has(start)) break;
    }
    const between: string[] = [];
    for (let x = from.get(start)!; x !== start; x = from.get(x)!) between.unshift(x);
    return [start, ...between, start];
  });
}

if (require.main === module) {
  const cycles = importCycles(modulesUnder(['lib', 'scripts', 'test'].map((d) => path.join(PROJECT_ROOT, d))));
  for (const c of cycles) console.error(`import cycle: ${c.map((f) => path.relative(PROJECT_ROOT, f)).join(' -> ')}`);
  process.exitCode = cycles.length > 0 ? 1 : 0;
}
