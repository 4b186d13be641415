/// <reference lib="dom" />
/** The optimism panel's editable grid: one button per cell (keyboard and mouse), and the arrows of q* − p drawn in them. */
import type { Arrow } from '../compute';
import { h } from '../ui';

/** What a click places. */
export type Tool = 'wall' | 'free' | 'start' | 'goal';

const SVG_NS = 'http://www.w3.org/2000/svg';
const cellLabel = (ch: string, r: number, c: number) =>
  `row ${r + 1}, column ${c + 1}: ${ch === '#' ? 'wall' : ch === 'S' ? 'start' : ch === 'G' ? 'goal' : 'free'}`;

export class GridEditor {
  readonly el = h('div', { class: 'grid', id: 'grid', role: 'grid', 'aria-label': 'editable grid: walls, start and goal' });
  tool: Tool = 'wall';
  private cells: string[][] = [];
  private buttons: HTMLButtonElement[][] = [];

  /** `onEdit` runs after each accepted edit; `say` tells why an edit was refused. */
  constructor(
    private readonly onEdit: () => void,
    private readonly say: (msg: string) => void,
  ) {}

  /** The grid's rows as map text rows ('#' wall, '.' free, 'S', 'G'). */
  rows(): string[] {
    return this.cells.map((row) => row.join(''));
  }

  /** Shows these rows (a map's, or an edited grid's). */
  load(rows: string[]): void {
    this.cells = rows.map((r) => r.split(''));
    this.build();
  }

  private build(): void {
    this.el.style.gridTemplateColumns = `repeat(${this.cells[0].length}, var(--cell))`;
    this.buttons = this.cells.map((row, r) =>
      row.map((ch, c) => {
        const b = h('button', {
          class: `cell k${ch === '#' ? 'wall' : ch === '.' ? 'free' : ch}`,
          'data-row': r,
          'data-col': c,
          'aria-label': cellLabel(ch, r, c),
        });
        b.textContent = ch === 'S' || ch === 'G' ? ch : '';
        b.addEventListener('click', () => this.edit(r, c));
        b.addEventListener('keydown', (e) => this.move(e, r, c));
        return b;
      }),
    );
    this.el.replaceChildren(...this.buttons.flat());
  }

  /** Arrow keys move between cells; Enter or Space edits one (a button's own behaviour). */
  private move(e: KeyboardEvent, r: number, c: number): void {
    const d = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[e.key];
    if (!d) return;
    e.preventDefault();
    const [rows, cols] = [this.cells.length, this.cells[0].length];
    this.buttons[Math.min(rows - 1, Math.max(0, r + d[0]))]?.[Math.min(cols - 1, Math.max(0, c + d[1]))]?.focus();
  }

  private edit(r: number, c: number): void {
    const cells = this.cells;
    const ch = cells[r][c];
    if (this.tool === 'wall' || this.tool === 'free') {
      if (ch === 'S' || ch === 'G') return this.say('Move the start or the goal elsewhere first.');
      cells[r][c] = this.tool === 'wall' ? (ch === '#' ? '.' : '#') : '.';
    } else {
      const mark = this.tool === 'start' ? 'S' : 'G';
      const other = mark === 'S' ? 'G' : 'S';
      if (ch === other) return this.say(`That cell is the ${other === 'S' ? 'start' : 'goal'}.`);
      for (const row of cells) for (let k = 0; k < row.length; k++) if (row[k] === mark) row[k] = '.';
      cells[r][c] = mark;
    }
    this.build();
    this.buttons[r][c].focus();
    this.onEdit();
  }

  /** Draws each cell's arrow, scaled so that the longest spans 0.9 cell (arrows under 0.05 cell are left out). */
  drawArrows(arrows: Arrow[]): void {
    let longest = 0;
    for (const a of arrows) longest = Math.max(longest, Math.hypot(a.dRow, a.dCol));
    const k = longest > 0 ? 0.9 / longest : 0;
    for (const row of this.buttons) for (const b of row) b.querySelector('svg')?.remove();
    for (const a of arrows) {
      const b = this.buttons[a.row][a.col];
      b.setAttribute('data-drow', String(a.dRow));
      b.setAttribute('data-dcol', String(a.dCol));
      if (Math.hypot(a.dRow, a.dCol) * k < 0.05) continue;
      const [x1, y1] = [50 + 50 * k * a.dCol, 50 + 50 * k * a.dRow];
      const [x0, y0] = [100 - x1, 100 - y1];
      const svg = document.createElementNS(SVG_NS, 'svg');
      svg.setAttribute('viewBox', '0 0 100 100');
      svg.setAttribute('aria-hidden', 'true');
      const line = document.createElementNS(SVG_NS, 'line');
      for (const [n, v] of Object.entries({ x1: x0, y1: y0, x2: x1, y2: y1 })) line.setAttribute(n, v.toFixed(1));
      line.setAttribute('marker-end', 'url(#arrowhead)');
      svg.append(line);
      b.append(svg);
    }
  }
}

/** The arrowhead marker the grid's arrows share. */
export function arrowDefs(): SVGSVGElement {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', '0');
  svg.setAttribute('height', '0');
  svg.style.position = 'absolute';
  svg.innerHTML =
    '<defs><marker id="arrowhead" viewBox="0 0 10 10" refX="6" refY="5" markerWidth="4" markerHeight="4" orient="auto-start-reverse">' +
    '<path d="M 0 0 L 10 5 L 0 10 z" fill="#1f5fbf"/></marker></defs>';
  return svg;
}
