/// <reference lib="dom" />
/** 3. Optimistic dynamics (Fig. 2a right): an editable grid with the arrows of q* − p, recomputed at each edit. */
import { parseGridMap } from '../../tabular/gridworld';
import { workers } from '../channel';
import type { Arrow } from '../compute';
import { E1_GRID, mapSelect, mapText, pickMap } from '../maps';
import { h, hash, num, panel, save, setting, slider, status } from '../ui';

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
  let cells = preset().cells.map((r) => r.split(''));
  const saved = hash.get('grid.cells')?.split('/');
  if (saved && saved.length === cells.length && saved.every((r) => r.length === cells[0].length)) cells = saved.map((r) => r.split(''));
  let noise = num('grid.noise', preset().noise ?? 0.2, 0, 1);
  let gamma = num('grid.gamma', preset().gamma ?? 0.95, 0.5, 0.99);
  let form = setting('grid.form', 'eq5') === 'eq3' ? 'eq3' : 'eq5';
  let tool = 'wall';
  const gridEl = h('div', { class: 'grid', id: 'grid', role: 'grid', 'aria-label': 'editable grid: walls, start and goal' });
  const st = status('grid-status');
  const output = h('div', { class: 'output' });
  let inputAt = 0;
  let buttons: HTMLButtonElement[][] = [];

  const cellLabel = (ch: string, r: number, c: number) =>
    `row ${r + 1}, column ${c + 1}: ${ch === '#' ? 'wall' : ch === 'S' ? 'start' : ch === 'G' ? 'goal' : 'free'}`;
  const build = () => {
    gridEl.style.gridTemplateColumns = `repeat(${cells[0].length}, var(--cell))`;
    buttons = cells.map((row, r) =>
      row.map((ch, c) => {
        const b = h('button', {
          class: `cell k${ch === '#' ? 'wall' : ch === '.' ? 'free' : ch}`,
          'data-row': r,
          'data-col': c,
          'aria-label': cellLabel(ch, r, c),
        });
        b.textContent = ch === 'S' || ch === 'G' ? ch : '';
        b.addEventListener('click', () => edit(r, c));
        b.addEventListener('keydown', (e) => move(e, r, c));
        return b;
      }),
    );
    gridEl.replaceChildren(...buttons.flat());
  };
  // Arrow keys move between cells; Enter or Space edits one (a button's own behaviour).
  const move = (e: KeyboardEvent, r: number, c: number) => {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d) return;
    e.preventDefault();
    buttons[Math.min(cells.length - 1, Math.max(0, r + d[0]))]?.[Math.min(cells[0].length - 1, Math.max(0, c + d[1]))]?.focus();
  };
  const edit = (r: number, c: number) => {
    const ch = cells[r][c];
    if (tool === 'wall' || tool === 'free') {
      if (ch === 'S' || ch === 'G') {
        st.textContent = 'Move the start or the goal elsewhere first.';
        return;
      }
      cells[r][c] = tool === 'wall' ? (ch === '#' ? '.' : '#') : '.';
    } else {
      const mark = tool === 'start' ? 'S' : 'G';
      const other = mark === 'S' ? 'G' : 'S';
      if (ch === other) {
        st.textContent = `That cell is the ${other === 'S' ? 'start' : 'goal'}.`;
        return;
      }
      for (const row of cells) for (let k = 0; k < row.length; k++) if (row[k] === mark) row[k] = '.';
      cells[r][c] = mark;
    }
    save('grid.cells', cells.map((row) => row.join('')).join('/'));
    build();
    buttons[r][c].focus();
    recompute();
  };
  const drawArrows = (arrows: Arrow[]) => {
    let longest = 0;
    for (const a of arrows) longest = Math.max(longest, Math.hypot(a.dRow, a.dCol));
    const k = longest > 0 ? 0.9 / longest : 0;
    for (const row of buttons) for (const b of row) b.querySelector('svg')?.remove();
    for (const a of arrows) {
      const b = buttons[a.row][a.col];
      b.setAttribute('data-drow', String(a.dRow));
      b.setAttribute('data-dcol', String(a.dCol));
      const len = Math.hypot(a.dRow, a.dCol) * k;
      if (len < 0.05) continue;
      const [x1, y1] = [50 + 50 * k * a.dCol, 50 + 50 * k * a.dRow];
      const [x0, y0] = [100 - x1, 100 - y1];
      const svgNs = 'http://www.w3.org/2000/svg';
      const svg = document.createElementNS(svgNs, 'svg');
      svg.setAttribute('viewBox', '0 0 100 100');
      svg.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS(svgNs, 'line');
      for (const [n, v] of Object.entries({ x1: x0, y1: y0, x2: x1, y2: y1 })) line.setAttribute(n, v.toFixed(1));
      line.setAttribute('marker-end', 'url(#arrowhead)');
      svg.append(line);
      b.append(svg);
    }
  };
  const recompute = () => {
    inputAt = performance.now();
    const text = withCells(
      mapText(map).text,
      `edited ${map}`,
      cells.map((row) => row.join('')),
    );
    workers.grid.send(
      'arrows',
      { kind: 'arrows', map: { name: `edited grid (${map})`, text }, noise, gamma, form: form as 'eq3' | 'eq5' },
      (r, ms) => {
        if (r.kind !== 'arrows') return;
        drawArrows(r.arrows);
        output.setAttribute('data-latency-ms', (performance.now() - inputAt).toFixed(2));
        output.setAttribute('data-updates', String(Number(output.getAttribute('data-updates') ?? 0) + 1));
        st.textContent = ms !== undefined ? `q* computed in ${ms.toFixed(1)} ms.` : '';
      },
      (msg) => (st.textContent = msg),
    );
  };
  const tools = h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, 'A click places'),
    ...(['wall', 'free', 'start', 'goal'] as const).map((t) => {
      const input = h('input', {
        type: 'radio',
        name: 'grid-tool',
        id: `grid-tool-${t}`,
        value: t,
        ...(t === tool ? { checked: true } : {}),
      });
      input.addEventListener('change', () => (tool = t));
      return h('label', { for: `grid-tool-${t}` }, input, t === 'wall' ? 'wall (toggle)' : t);
    }),
  );
  const forms = h(
    'fieldset',
    { class: 'tools' },
    h('legend', {}, 'Reward form'),
    ...(
      [
        ['eq3', 'Eq. 3: (1−γ) log r'],
        ['eq5', 'Eq. 5: log r'],
      ] as const
    ).map(([f, label]) => {
      const input = h('input', {
        type: 'radio',
        name: 'grid-form',
        id: `grid-form-${f}`,
        value: f,
        ...(f === form ? { checked: true } : {}),
      });
      input.addEventListener('change', () => {
        form = f;
        save('grid.form', f);
        recompute();
      });
      return h('label', { for: `grid-form-${f}` }, input, label);
    }),
  );
  const noiseSlider = slider('grid-noise', 'noise ε', { min: 0, max: 1, step: 0.01 }, noise, (v) => {
    noise = v;
    save('grid.noise', v);
    recompute();
  });
  const gammaSlider = slider('grid-gamma', 'γ', { min: 0.5, max: 0.99, step: 0.01 }, gamma, (v) => {
    gamma = v;
    save('grid.gamma', v);
    recompute();
  });
  const controls = h(
    'div',
    { class: 'controls' },
    mapSelect('grid-map', 'optimism', map, (v) => {
      map = v;
      save('grid.map', v);
      cells = preset().cells.map((r) => r.split(''));
      hash.delete('grid.cells');
      save('grid.map', v);
      build();
      recompute();
    }),
    tools,
    noiseSlider,
    gammaSlider,
    forms,
  );
  output.append(
    gridEl,
    h(
      'p',
      { class: 'legend' },
      'Arrows: where q* moves the agent on average, minus where p moves it (mean over actions), scaled so the longest spans 0.9 cell.',
    ),
    st,
  );
  output.prepend(arrowDefs());
  build();
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

/** The arrowhead marker the grid's arrows share. */
function arrowDefs(): SVGSVGElement {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.style.position = 'absolute';
  svg.innerHTML =
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">' +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#1f5fbf"/></marker></defs>';
  return svg;
}
