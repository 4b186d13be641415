/// <reference lib="dom" />
/**
 * 4b. The capacity-limited model (Fig. 2b), part of the learning panel: the authors' exact procedure or E2's
 * learners from samples, then the most likely path of each final greedy policy.
 */
import { gridPathsSpec, type PathPoint } from '../../plot/grid-paths';
import { workers } from '../channel';
import { mapNames, mapText, pickMap } from '../maps';
import { draw, field, fmt, h, hash, num, numberField, save, select, selectOptions, setting, status, wholeNumber } from '../ui';

type PathProcedure = 'paper' | 'e2';
const PATH_PROCEDURES: [PathProcedure, string][] = [
  ['paper', 'the authors’ exact procedure'],
  ['e2', 'learners from samples (E2)'],
];
/** Each procedure's own map (the paper's needs walls as states). */
const PATH_MAPS: Record<PathProcedure, string> = { paper: 'paper-fig2b-15x15', e2: 'e2-fine-walls-12x12' };
const use = (p: PathProcedure) => (p === 'paper' ? 'paths-paper' : 'paths-e2');

/** The controls (for the panel's left column) and the output (for its right one). */
export function capacityPaths(): { controls: HTMLElement[]; output: HTMLElement[] } {
  let procedure = PATH_PROCEDURES.find((p) => p[0] === hash.get('paths.procedure'))?.[0] ?? 'paper';
  let map = pickMap(use(procedure), setting('paths.map', PATH_MAPS[procedure]), PATH_MAPS[procedure]);
  const seed = numberField('paths-seed', 'seed', num('paths.seed', 1, 0, 1e9), { min: 0, max: 1e9, step: 1 });
  const budget = numberField('paths-budget', 'updates', num('paths.updates', 200000, 100, 5e6), { min: 100, max: 5e6, step: 1000 });
  const chartEl = h(
    'div',
    { class: 'chart placeholder', id: 'paths-chart' },
    'Press Run under “Capacity-limited model”: both learners train, then their paths show.',
  );
  const st = status('paths-status');
  const runBtn = h('button', { id: 'paths-run' }, 'Run');
  const mapSel = h('select', { id: 'paths-map' });
  const fillMaps = () =>
    mapSel.replaceChildren(
      ...selectOptions(
        mapNames(use(procedure)).map((m): [string, string] => [m, m]),
        map,
      ),
    );
  fillMaps();
  mapSel.addEventListener('change', () => {
    map = mapSel.value;
    save('paths.map', map);
  });
  seed.disabled = budget.disabled = procedure === 'paper';

  const run = () => {
    const s = wholeNumber(seed, 0, 1e9, 'seed', st);
    const u = s === null ? null : wholeNumber(budget, 100, 5e6, 'updates', st);
    if (s === null || u === null) return;
    save('paths.seed', s);
    save('paths.updates', u);
    runBtn.disabled = true;
    st.textContent = 'Running…';
    const t0 = performance.now();
    workers.paths.send(
      'paths',
      { kind: 'paths', procedure, map: mapText(map), seed: s, updates: u },
      (r) => {
        if (r.kind !== 'paths') return;
        runBtn.disabled = false;
        chartEl.setAttribute('data-paths', JSON.stringify(r.results));
        const what = procedure === 'paper' ? 'exact procedure' : `seed ${s}`;
        const pts: PathPoint[] = r.results.flatMap((res) =>
          res.path.map(([row, col], step) => ({ panel: res.label, path: what, step, row, col })),
        );
        void draw(
          chartEl,
          gridPathsSpec(pts, r.outline, {
            title: `Most likely path of the final greedy policy (${map}, ${what})`,
            panels: r.results.map((x) => x.label),
            // Three 15-column panels fit beside the controls at 1,280 px.
            cell: Math.max(10, Math.min(22, Math.floor(850 / (r.results.length * r.outline.cols)))),
          }),
        );
        st.textContent =
          r.results
            .map((x) => `${x.label}: ${x.reaches ? 'reaches' : 'does not reach'} the goal (P within 100 steps ${fmt(x.reachProb, 3)})`)
            .join('; ') + ` — ${((performance.now() - t0) / 1000).toFixed(1)} s.`;
      },
      (msg) => {
        runBtn.disabled = false;
        st.textContent = msg;
      },
    );
  };
  runBtn.addEventListener('click', run);
  return {
    controls: [
      h('h3', {}, 'Capacity-limited model (Fig. 2b)'),
      select('paths-procedure', 'procedure', PATH_PROCEDURES, procedure, (v) => {
        procedure = v as PathProcedure;
        save('paths.procedure', v);
        // Each procedure's own map and list of maps; the seed and budget are the learners'.
        map = PATH_MAPS[procedure];
        save('paths.map', map);
        fillMaps();
        seed.disabled = budget.disabled = procedure === 'paper';
      }),
      h('label', { class: 'field', for: 'paths-map' }, h('span', {}, 'map'), mapSel),
      field('seed', seed),
      field('updates', budget),
      h('div', { class: 'buttons' }, runBtn),
    ],
    output: [h('h3', { class: 'wide' }, 'Capacity-limited model: paths with and without the classifier term'), chartEl, st],
  };
}
