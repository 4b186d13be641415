/// <reference lib="dom" />
/** 3. Optimistic dynamics (Fig. 2a right): an editable grid with the arrows of q* − p, recomputed at each edit. */
import { parseGridMap } from '../../tabular/gridworld';
import { workers } from '../channel';
import type { RewardForm } from '../compute';
import { E1_GRID, mapSelect, mapText, pickMap } from '../maps';
import { h, hash, num, panel, radios, save, setting, slider, status } from '../ui';
import { arrowDefs, GridEditor } from './grid-editor';

/** The map's text with its grid rows replaced (the header, e.g. rewards, stays). */
function withCells(text: string, source: string, cells: string[]): string {
  const m = parseGridMap(text, source);
  const lines = text.split(/\r?\n/);
  for (let i = 0; i + m.rows <= lines.length; i++) {
    if (m.cells.every((row, k) => lines[i + k].replace(/\s+$/, '') === row)) {
      return [...lines.slice(0, i), ...cells, ...lines.slice(i + m.rows)].join('\n');
    }
  }
  return cells.join('\n');
}

export function optimismPanel(): HTMLElement {
  let map = pickMap('optimism', setting('grid.map', E1_GRID), E1_GRID);
  const preset = () => parseGridMap(mapText(map).text, map);
  let noise = num('grid.noise', preset().noise ?? 0.2, 0, 1);
  let gamma = num('grid.gamma', preset().gamma ?? 0.95, 0.5, 0.99);
  let form: RewardForm = setting('grid.form', 'eq5') === 'eq3' ? 'eq3' : 'eq5';
  const st = status('grid-status');
  const output = h('div', { class: 'output' });
  let inputAt = 0;

  const recompute = () => {
    inputAt = performance.now();
    const text = withCells(mapText(map).text, `edited ${map}`, grid.rows());
    workers.grid.send(
      'arrows',
      { kind: 'arrows', map: { name: `edited grid (${map})`, text }, noise, gamma, form },
      (r, ms) => {
        if (r.kind !== 'arrows') return;
        grid.drawArrows(r.arrows);
        output.setAttribute('data-latency-ms', (performance.now() - inputAt).toFixed(2));
        output.setAttribute('data-updates', String(Number(output.getAttribute('data-updates') ?? 0) + 1));
        st.textContent = ms !== undefined ? `q* computed in ${ms.toFixed(1)} ms.` : '';
      },
      (msg) => (st.textContent = msg),
    );
  };
  const grid = new GridEditor(
    () => {
      save('grid.cells', grid.rows().join('/'));
      recompute();
    },
    (msg) => (st.textContent = msg),
  );
  const rows = preset().cells;
  const saved = hash.get('grid.cells')?.split('/');
  grid.load(saved && saved.length === rows.length && saved.every((r) => r.length === rows[0].length) ? saved : rows);

  const TOOLS = [
    ['wall', 'wall (toggle)'],
    ['free', 'free'],
    ['start', 'start'],
    ['goal', 'goal'],
  ] as const;
  const FORMS = [
    ['eq3', 'Eq. 3: (1−γ) log r'],
    ['eq5', 'Eq. 5: log r'],
  ] as const;
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('grid-map', 'optimism', map, (v) => {
      map = v;
      hash.delete('grid.cells');
      save('grid.map', v);
      grid.load(preset().cells);
      recompute();
    }),
    radios('grid-tool', 'A click places', TOOLS, grid.tool, (t) => (grid.tool = t)),
    slider('grid-noise', 'noise ε', { min: 0, max: 1, step: 0.01 }, noise, (v) => {
      noise = v;
      save('grid.noise', v);
      recompute();
    }),
    slider('grid-gamma', 'γ', { min: 0.5, max: 0.99, step: 0.01 }, gamma, (v) => {
      gamma = v;
      save('grid.gamma', v);
      recompute();
    }),
    radios('grid-form', 'Reward form', FORMS, form, (f) => {
      form = f;
      save('grid.form', f);
      recompute();
    }),
  );
  output.append(
    arrowDefs(),
    grid.el,
    h(
      'p',
      { class: 'legend' },
      'Arrows: where q* moves the agent on average, minus where p moves it (mean over actions), scaled so the longest spans 0.9 cell.',
    ),
    st,
  );
  recompute();
  return panel(
    {
      id: 'optimism',
      title: 'Optimistic dynamics',
      paper: 'Fig. 2a, right',
      text:
        'The model that maximises the MnM objective is the true one tilted toward high-value states, q*(s′|s,a) ∝ p(s′|s,a) exp(γ V(s′)): it bends the noise toward the goal. ' +
        'Click or press Enter on cells to move walls, the start and the goal (arrow keys move between cells), and the arrows of q* − p follow.',
      notebooks: ['optimism'],
    },
    controls,
    output,
  );
}
