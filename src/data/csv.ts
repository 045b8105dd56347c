/**
 * Delimited text matrices (CSV/TSV): numeric cells, an optional header, an optional label column.
 */
import { readFileSync } from 'node:fs';
import { DataError } from '../errors.ts';

/** A parsed numeric table. */
export interface Table {
  readonly x: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly labels?: Int32Array;
  readonly header?: string[];
}

/**
 * Parses delimited numbers. `labelColumn` (a header name or a 0-based index) is taken out as
 * integer labels. Blank lines are skipped; ragged rows, non-numeric cells and NaN/Inf are errors
 * naming the line.
 */
export function parseDelimited(text: string, source: string, options: { labelColumn?: string | number; delimiter?: string } = {}): Table {
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length === 0) throw new DataError(`'${source}' is empty; expected rows of numbers`);
  const delim = options.delimiter ?? (source.endsWith('.tsv') || lines[0]!.includes('\t') ? '\t' : lines[0]!.includes(';') && !lines[0]!.includes(',') ? ';' : ',');
  const split = (l: string) => l.split(delim).map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
  let header: string[] | undefined;
  const first = split(lines[0]!);
  if (first.some((c) => c !== '' && !Number.isFinite(Number(c)) && !/^[+-]?(nan|inf(inity)?)$/i.test(c))) {
    header = first;
    lines.shift();
  }
  if (lines.length === 0) throw new DataError(`'${source}' has a header but no data rows`);
  const width = header?.length ?? split(lines[0]!).length;
  let labelIdx = -1;
  if (options.labelColumn !== undefined) {
    const lc = options.labelColumn;
    labelIdx = typeof lc === 'number' || /^\d+$/.test(lc) ? Number(lc) : (header ?? []).indexOf(lc);
    if (labelIdx < 0 || labelIdx >= width)
      throw new DataError(`'${source}': label column ${JSON.stringify(lc)} not found${header ? ` (columns: ${header.slice(0, 10).join(', ')}${header.length > 10 ? ', …' : ''})` : ` (no header; use a 0-based index < ${width})`}`);
  }
  const cols = labelIdx >= 0 ? width - 1 : width;
  if (cols < 1) throw new DataError(`'${source}' has no feature columns`);
  const rows = lines.length;
  const x = new Float32Array(rows * cols);
  const labels = labelIdx >= 0 ? new Int32Array(rows) : undefined;
  const lineOffset = header ? 2 : 1;
  for (let r = 0; r < rows; r++) {
    const cells = split(lines[r]!);
    if (cells.length !== width) throw new DataError(`'${source}' line ${r + lineOffset}: ${cells.length} columns, expected ${width} (ragged rows)`);
    let o = r * cols;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      const v = Number(cell);
      if (c === labelIdx) {
        if (!Number.isInteger(v)) throw new DataError(`'${source}' line ${r + lineOffset}: label ${JSON.stringify(cell)} is not an integer`);
        labels![r] = v;
        continue;
      }
      if (/^[+-]?(nan|inf(inity)?)$/i.test(cell)) throw new DataError(`'${source}' line ${r + lineOffset}, column ${c + 1}: value ${cell} is not finite; remove or impute it first`);
      if (cell === '' || Number.isNaN(v)) throw new DataError(`'${source}' line ${r + lineOffset}, column ${c + 1}: ${cell === '' ? 'empty cell' : `non-numeric value ${JSON.stringify(cell)}`}; clean or impute it first`);
      if (!Number.isFinite(v)) throw new DataError(`'${source}' line ${r + lineOffset}, column ${c + 1}: value ${cell} is not finite; remove or impute it first`);
      x[o++] = v;
    }
  }
  return { x, rows, cols, labels, header };
}

/** Reads and parses a CSV/TSV file. */
export function readDelimited(path: string, options: { labelColumn?: string | number } = {}): Table {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  return parseDelimited(text, path, options);
}

/** Reads labels: one integer per line, or one column of a CSV with a header (first column unless named). */
export function readLabels(path: string, column?: string | number): Int32Array {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new DataError(`cannot read labels '${path}': ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (!lines.length) throw new DataError(`labels file '${path}' is empty`);
  const delim = lines[0]!.includes('\t') ? '\t' : ',';
  const first = lines[0]!.split(delim).map((c) => c.trim());
  let idx = typeof column === 'number' ? column : 0;
  let start = 0;
  if (first.some((c) => !Number.isFinite(Number(c)))) {
    start = 1;
    if (typeof column === 'string' && !/^\d+$/.test(column)) {
      idx = first.indexOf(column);
      if (idx < 0) throw new DataError(`labels file '${path}': no column named ${JSON.stringify(column)} (columns: ${first.join(', ')})`);
    } else if (column !== undefined) idx = Number(column);
  }
  const out = new Int32Array(lines.length - start);
  for (let i = start; i < lines.length; i++) {
    const cell = lines[i]!.split(delim)[idx]?.trim() ?? '';
    const v = Number(cell);
    if (cell === '' || !Number.isInteger(v)) throw new DataError(`labels file '${path}' line ${i + 1}: ${JSON.stringify(cell)} is not an integer label`);
    out[i - start] = v;
  }
  return out;
}
