/**
 * `npm run bench`: every benchmark section, each timing this project against an independent peer program
 * (../shared/bench/peers) on the same input in the same run. Writes results/bench.json and prints a table.
 *   npm run bench [-- SECTION...]   (sections by name; all when none given)
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readJson, writeJsonAtomic } from '../io';
import { tabularBench } from './tabular';
import { sacBench } from './sac';
import { learnersBench } from './learners';
import { bigGridBench } from './big-grid';
import { mujocoBench } from './mujoco';
import { mbpoBench } from './mbpo';
import type { BenchEntry, BenchSection } from './types';

// Sections register here, in the order they run.
const SECTIONS: BenchSection[] = [tabularBench, bigGridBench, sacBench, mbpoBench, learnersBench, mujocoBench];

function fmtMs(x: number | null): string {
  return x === null ? '—' : x < 10 ? x.toFixed(2) : x.toFixed(0);
}

async function main(argv: string[]): Promise<void> {
  const wanted = argv.filter((a) => !a.startsWith('-'));
  for (const w of wanted) {
    if (!SECTIONS.some((s) => s.name === w)) {
      throw new Error(`unknown bench section '${w}' (known: ${SECTIONS.map((s) => s.name).join(', ') || 'none yet'})`);
    }
  }
  const entries: BenchEntry[] = [];
  for (const section of SECTIONS.filter((s) => wanted.length === 0 || wanted.includes(s.name))) {
    console.error(`[bench] ${section.name}`);
    const got = await section.run((line) => console.error(`[bench] ${section.name}: ${line}`));
    entries.push(...got.map((e) => ({ ...e, section: section.name })));
  }
  const out = path.resolve('results', 'bench.json');
  // A run of some sections replaces only their entries; the others' last measurements stay.
  const ran = new Set(entries.map((e) => e.section));
  const kept = fs.existsSync(out) ? (readJson<{ entries?: BenchEntry[] }>(out).entries?.filter((e) => !ran.has(e.section)) ?? []) : [];
  writeJsonAtomic(out, { date: new Date().toISOString(), node: process.version, entries: [...kept, ...entries] });
  console.log(['name'.padEnd(40), 'ours ms'.padStart(10), 'peer ms'.padStart(10), 'ratio'.padStart(8), 'agree'.padStart(6)].join(' '));
  for (const e of entries) {
    console.log(
      [
        e.name.padEnd(40),
        fmtMs(e.ours_ms).padStart(10),
        fmtMs(e.peer_ms).padStart(10),
        (e.ratio === null ? '—' : e.ratio.toFixed(2)).padStart(8),
        String(e.agree ?? '—').padStart(6),
      ].join(' '),
    );
  }
  console.log(`wrote ${out}`);
}

main(process.argv.slice(2)).catch((err: Error) => {
  console.error(`bench: ${err.message}`);
  process.exit(1);
});
