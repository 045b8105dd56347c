/**
 * Delimited text matrices (CSV, TSV, whitespace-separated `.txt`, optionally gzip-compressed):
 * numeric cells, an optional header, an optional label column (integers or class names).
 */
import { DataError } from '../errors.ts';
import { readText } from './io.ts';
import { type EncodedLabels, detectDelimiter, encodeLabels, splitLine } from './labels.ts';

/** A parsed numeric table. */
export interface Table {
  /** Feature values, row-major `[rows, cols]`. */
  readonly x: Float32Array;
  /** Number of data rows. */
  readonly rows: number;
  /** Number of feature columns (the label column excluded). */
  readonly cols: number;
  /** The label column, encoded 0..C-1, when one was asked for. */
  readonly labels?: EncodedLabels;
  /** Column names when the first line is a header. */
  readonly header?: string[];
}

/** Options of {@link parseDelimited}. */
export interface DelimitedOptions {
  /** Label column: header name or 0-based index (negative counts from the end). */
  readonly labelColumn?: string | number;
  /** Cell separator. @defaultValue tab for `.tsv` or when the first line has a tab, else `,`, else `;`, else whitespace */
  readonly delimiter?: string;
}

const NON_FINITE = /^[+-]?(nan|inf(inity)?)$/i;

/**
 * Parses delimited numbers. The first line is a header when one of its cells is not a number
 * where the next line has a number. Blank lines and lines starting with `#` are skipped.
 * @throws DataError naming the file, line and column for ragged rows, non-numeric cells,
 *   NaN/Inf, an empty file, or a label column that does not exist
 */
export function parseDelimited(text: string, source: string, options: DelimitedOptions = {}): Table {
  const all = text.split(/\r?\n/);
  const lineNo: number[] = [];
  const lines: string[] = [];
  all.forEach((l, i) => {
    if (l.trim() !== '' && !l.startsWith('#')) {
      lines.push(l);
      lineNo.push(i + 1);
    }
  });
  if (lines.length === 0) throw new DataError(`'${source}' is empty; expected rows of numbers (one sample per line)`);
  const delim = options.delimiter ?? detectDelimiter(lines[0]!, source);
  const split = (l: string) => splitLine(l, delim);
  const first = split(lines[0]!);
  const second = lines.length > 1 ? split(lines[1]!) : undefined;
  const isNum = (c: string | undefined) => c !== undefined && c !== '' && (Number.isFinite(Number(c)) || NON_FINITE.test(c));
  let header: string[] | undefined;
  if (first.some((c, j) => !isNum(c) && (second === undefined || isNum(second[j])))) {
    header = first;
    lines.shift();
    lineNo.shift();
  }
  if (lines.length === 0) throw new DataError(`'${source}' has a header but no data rows; add one sample per line below it`);
  const width = header?.length ?? split(lines[0]!).length;
  let labelIdx = -1;
  if (options.labelColumn !== undefined && options.labelColumn !== '') {
    const lc = options.labelColumn;
    if (typeof lc === 'number' || /^-?\d+$/.test(lc)) {
      labelIdx = Number(lc);
      if (labelIdx < 0) labelIdx += width;
    } else labelIdx = (header ?? []).indexOf(lc);
    if (labelIdx < 0 || labelIdx >= width)
      throw new DataError(
        `'${source}': label column ${JSON.stringify(lc)} not found${header ? ` (columns: ${header.slice(0, 12).join(', ')}${header.length > 12 ? ', …' : ''}); name one of them or give a 0-based index` : ` (the file has no header; use a 0-based index below ${width})`}`,
      );
  }
  const cols = labelIdx >= 0 ? width - 1 : width;
  if (cols < 1) throw new DataError(`'${source}' has no feature columns besides the label column`);
  const rows = lines.length;
  const x = new Float32Array(rows * cols);
  const labelCells: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells = split(lines[r]!);
    const ln = lineNo[r];
    if (cells.length !== width) throw new DataError(`'${source}' line ${ln}: ${cells.length} columns, expected ${width} (ragged rows); every row needs the same number of values`);
    let o = r * cols;
    for (let c = 0; c < width; c++) {
      const cell = cells[c]!;
      if (c === labelIdx) {
        if (cell === '') throw new DataError(`'${source}' line ${ln}: the label is empty`);
        labelCells.push(cell);
        continue;
      }
      const v = Number(cell);
      if (NON_FINITE.test(cell) || (cell !== '' && !Number.isNaN(v) && !Number.isFinite(v)))
        throw new DataError(`'${source}' line ${ln}, column ${c + 1}: value ${cell} is not finite; remove or impute it first`);
      if (cell === '' || Number.isNaN(v))
        throw new DataError(`'${source}' line ${ln}, column ${c + 1}: ${cell === '' ? 'empty cell' : `non-numeric value ${JSON.stringify(cell)}`}; clean or impute it first`);
      x[o++] = v;
    }
  }
  let labels: EncodedLabels | undefined;
  if (labelIdx >= 0) {
    const numeric = labelCells.every((c) => Number.isFinite(Number(c)));
    if (numeric) {
      const bad = labelCells.findIndex((c) => !Number.isInteger(Number(c)));
      if (bad >= 0) throw new DataError(`'${source}' line ${lineNo[bad]}: label ${JSON.stringify(labelCells[bad])} is not an integer (class names are fine too, but not fractions)`);
      labels = encodeLabels(labelCells.map(Number));
    } else labels = encodeLabels(labelCells);
  }
  return { x, rows, cols, labels, header };
}

/** Reads and parses a CSV/TSV/TXT file (gzip-compressed or not). @throws DataError as {@link parseDelimited} */
export function readDelimited(path: string, options: DelimitedOptions = {}): Table {
  return parseDelimited(readText(path), path, options);
}
