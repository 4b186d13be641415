/**
 * The notebook file format (nbformat 4) as typed data: read with validation at the JSON boundary, written the
 * way Jupyter writes it (one-space indent, sorted keys, multi-line strings as lists of lines, a final newline),
 * so that opening and saving a committed notebook in Jupyter changes nothing.
 */
import * as fs from 'node:fs';
import { writeFileAtomic } from '../io';

/** A string, or the same string split into lines (nbformat stores both). */
export type MultilineString = string | string[];
export type MimeBundle = Record<string, unknown>;

export type Output =
  | { output_type: 'stream'; name: 'stdout' | 'stderr'; text: MultilineString }
  | { output_type: 'display_data'; data: MimeBundle; metadata: Record<string, unknown> }
  | { output_type: 'execute_result'; data: MimeBundle; metadata: Record<string, unknown>; execution_count: number | null }
  | { output_type: 'error'; ename: string; evalue: string; traceback: string[] };

export interface CodeCell {
  cell_type: 'code';
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  execution_count: number | null;
  outputs: Output[];
}
export interface TextCell {
  cell_type: 'markdown' | 'raw';
  id?: string;
  metadata: Record<string, unknown>;
  source: MultilineString;
  attachments?: Record<string, MimeBundle>;
}
export type Cell = CodeCell | TextCell;

export interface Notebook {
  nbformat: number;
  nbformat_minor: number;
  metadata: Record<string, unknown>;
  cells: Cell[];
}

/** A file that is not a notebook this code can read; the message names the file and what is wrong. */
export class NotebookFormatError extends Error {
  override name = 'NotebookFormatError';
}

export function joinLines(s: MultilineString | undefined): string {
  return Array.isArray(s) ? s.join('') : (s ?? '');
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isMultiline = (v: unknown): v is MultilineString =>
  typeof v === 'string' || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

function checkOutput(o: unknown, where: string): Output {
  if (!isObject(o)) throw new NotebookFormatError(`${where}: an output is not an object`);
  switch (o.output_type) {
    case 'stream':
      if ((o.name !== 'stdout' && o.name !== 'stderr') || !isMultiline(o.text))
        throw new NotebookFormatError(`${where}: a stream output needs name stdout|stderr and text`);
      return { output_type: 'stream', name: o.name, text: o.text };
    case 'display_data':
    case 'execute_result': {
      if (!isObject(o.data)) throw new NotebookFormatError(`${where}: a ${o.output_type} output has no data bundle`);
      const metadata = isObject(o.metadata) ? o.metadata : {};
      if (o.output_type === 'display_data') return { output_type: 'display_data', data: o.data, metadata };
      const count = typeof o.execution_count === 'number' ? o.execution_count : null;
      return { output_type: 'execute_result', data: o.data, metadata, execution_count: count };
    }
    case 'error':
      return {
        output_type: 'error',
        ename: String(o.ename ?? 'Error'),
        evalue: String(o.evalue ?? ''),
        traceback: Array.isArray(o.traceback) ? o.traceback.map(String) : [],
      };
    default:
      throw new NotebookFormatError(`${where}: unknown output_type ${JSON.stringify(o.output_type)}`);
  }
}

/** Checks parsed JSON against nbformat 4 and returns it typed; throws one NotebookFormatError naming `name`. */
export function parseNotebook(json: unknown, name: string): Notebook {
  if (!isObject(json) || json.nbformat !== 4 || !Array.isArray(json.cells))
    throw new NotebookFormatError(`${name}: not an nbformat 4 notebook (needs "nbformat": 4 and a "cells" list)`);
  const cells = json.cells.map((c: unknown, i): Cell => {
    const where = `${name} cell ${i + 1}`;
    if (!isObject(c) || !isMultiline(c.source)) throw new NotebookFormatError(`${where}: a cell needs a source`);
    const metadata = isObject(c.metadata) ? c.metadata : {};
    const id = typeof c.id === 'string' ? { id: c.id } : {};
    if (c.cell_type === 'code') {
      const outputs = Array.isArray(c.outputs) ? c.outputs.map((o) => checkOutput(o, where)) : [];
      const count = typeof c.execution_count === 'number' ? c.execution_count : null;
      return { cell_type: 'code', ...id, metadata, source: c.source, execution_count: count, outputs };
    }
    if (c.cell_type === 'markdown' || c.cell_type === 'raw') {
      const attachments = isObject(c.attachments) ? { attachments: c.attachments as Record<string, MimeBundle> } : {};
      return { cell_type: c.cell_type, ...id, metadata, source: c.source, ...attachments };
    }
    throw new NotebookFormatError(`${where}: unknown cell_type ${JSON.stringify(c.cell_type)}`);
  });
  const minor = typeof json.nbformat_minor === 'number' ? json.nbformat_minor : 0;
  return { nbformat: 4, nbformat_minor: minor, metadata: isObject(json.metadata) ? json.metadata : {}, cells };
}

export function readNotebook(file: string): Notebook {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    throw new NotebookFormatError(`cannot read notebook ${file}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new NotebookFormatError(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseNotebook(json, file);
}

/** Splits a string into lines that keep their newline, as nbformat stores multi-line strings. */
export function splitLines(s: string): string[] {
  return s.match(/[^\n]*\n|[^\n]+$/g) ?? [];
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isObject(v)) return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sortKeys(v[k])]),
  );
}

/** JSON mime types (Vega-Lite specs) stay objects; every other string in a bundle is stored as lines. */
function splitBundle(b: MimeBundle): MimeBundle {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' && !k.endsWith('json') ? splitLines(v) : v]));
}

function splitOutput(o: Output): Output {
  if (o.output_type === 'stream') return { ...o, text: splitLines(joinLines(o.text)) };
  if (o.output_type === 'error') return o;
  return { ...o, data: splitBundle(o.data) };
}

/** The file text Jupyter would write for `nb`. */
export function formatNotebook(nb: Notebook): string {
  const cells = nb.cells.map((c) =>
    c.cell_type === 'code'
      ? { ...c, source: splitLines(joinLines(c.source)), outputs: c.outputs.map(splitOutput) }
      : { ...c, source: splitLines(joinLines(c.source)) },
  );
  return JSON.stringify(sortKeys({ ...nb, cells }), null, 1) + '\n';
}

export function writeNotebook(file: string, nb: Notebook): void {
  writeFileAtomic(file, formatNotebook(nb));
}
