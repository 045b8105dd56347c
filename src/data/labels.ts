/**
 * Ground-truth labels: reading a labels file (one per line, a CSV column, or a `.npy` vector) and
 * encoding any label values as the data layer's int32 classes 0..C-1.
 */
import { DataError } from '../errors.ts';
import { readIdx } from './idx.ts';
import { readText } from './io.ts';
import { toIntegerLabels } from './ndarray.ts';
import { readNpy } from './npy.ts';

/** Labels encoded as 0..C-1, with the original value of each class. */
export interface EncodedLabels {
  /** Class index of each sample, 0..C-1. */
  readonly labels: Int32Array;
  /** Original label of each class index, sorted (numbers ascending, or strings). */
  readonly classes: ReadonlyArray<number | string>;
}

/**
 * Encodes labels as 0..C-1 in the sorted order of their distinct values (so labels already
 * 0..C-1 are unchanged, MATLAB's 1..C become 0..C-1, and strings such as `setosa` get an index).
 */
export function encodeLabels(raw: ArrayLike<number> | readonly string[]): EncodedLabels {
  const values = Array.from(raw as ArrayLike<number | string>);
  const numeric = values.every((v) => typeof v === 'number');
  const classes = [...new Set(values)].sort((a, b) => (numeric ? (a as number) - (b as number) : String(a) < String(b) ? -1 : String(a) > String(b) ? 1 : 0));
  const index = new Map(classes.map((c, i) => [c, i]));
  return { labels: Int32Array.from(values, (v) => index.get(v)!), classes };
}

/** True when labels are exactly 0..C-1 (every class present). */
export function isDense(labels: ArrayLike<number>): boolean {
  let max = -1;
  const seen = new Set<number>();
  for (let i = 0; i < labels.length; i++) {
    const v = labels[i]!;
    if (v < 0 || !Number.isInteger(v)) return false;
    seen.add(v);
    if (v > max) max = v;
  }
  return seen.size === max + 1;
}

/** Splits one line of a delimited file. */
export function splitLine(line: string, delim: string | RegExp): string[] {
  return line
    .trim()
    .split(delim)
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
}

/** Picks the delimiter of a delimited text from its first line (and the file name). */
export function detectDelimiter(firstLine: string, source: string): string | RegExp {
  if (/\.tsv(\.gz)?$/i.test(source) || firstLine.includes('\t')) return '\t';
  if (firstLine.includes(',')) return ',';
  if (firstLine.includes(';')) return ';';
  return /\s+/;
}

/** Options of {@link parseLabelsFile}. */
export interface LabelsFileOptions {
  /** Column of a CSV/TSV labels file: header name or 0-based index (negative counts from the end). @defaultValue the last column when the file has a header or several columns, else the only one */
  readonly column?: string | number;
}

/**
 * Reads ground-truth (or predicted) labels from a file: one integer per line, one column of a
 * CSV/TSV with or without a header (e.g. `labels.csv` that `deepclust fit` writes, column
 * `cluster` or the last one), a 1-D `.npy` array, or an IDX labels file (`*-labels-idx1-ubyte.gz`).
 * Values are returned as written (not re-encoded); use {@link encodeLabels} to get 0..C-1.
 * @throws DataError for a missing or empty file, a missing column, or a value that is not an integer
 */
export function parseLabelsFile(path: string, options: LabelsFileOptions = {}): Int32Array {
  const cells = readLabelCells(path, options.column);
  const out = new Int32Array(cells.values.length);
  cells.values.forEach((c, i) => {
    const v = Number(c);
    if (c === '' || !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1) throw new DataError(`labels file '${path}' line ${cells.lines[i]}: ${JSON.stringify(c)} is not an integer label`);
    out[i] = v;
  });
  return out;
}

/**
 * Reads labels that may be integers or class names (strings) and encodes them as 0..C-1.
 * @throws DataError as {@link parseLabelsFile}
 */
export function readLabelsEncoded(path: string, column?: string | number): EncodedLabels {
  const { values } = readLabelCells(path, column);
  if (values.every((c) => c !== '' && Number.isFinite(Number(c)))) {
    const nums = values.map(Number);
    const bad = nums.findIndex((v) => !Number.isInteger(v));
    if (bad >= 0) throw new DataError(`labels file '${path}': label ${JSON.stringify(values[bad])} (entry ${bad + 1}) is not an integer`);
    return encodeLabels(nums);
  }
  const empty = values.indexOf('');
  if (empty >= 0) throw new DataError(`labels file '${path}': entry ${empty + 1} is empty`);
  return encodeLabels(values);
}

/** File names of IDX files: `.idx`, `.idx1`, `*-ubyte`, optionally `.gz`. */
export const IDX_FILE = /(\.idx\d?|ubyte)(\.gz)?$/i;

function readLabelCells(path: string, column?: string | number): { values: string[]; lines: number[] } {
  if (/\.npy$/i.test(path) || IDX_FILE.test(path)) {
    let l: Int32Array;
    if (IDX_FILE.test(path)) {
      const a = readIdx(path);
      l = toIntegerLabels({ shape: a.dims, dtype: 'idx', data: a.data }, path);
    } else l = toIntegerLabels(readNpy(path), path);
    return { values: Array.from(l, String), lines: Array.from(l, (_, i) => i + 1) };
  }
  const text = readText(path, 'labels file');
  const rows: Array<[number, string]> = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    if (l.trim() !== '' && !l.startsWith('#')) rows.push([i + 1, l]);
  });
  if (!rows.length) throw new DataError(`labels file '${path}' is empty; expected one integer label per line`);
  const delim = detectDelimiter(rows[0]![1], path);
  const first = splitLine(rows[0]![1], delim);
  const second = rows[1] ? splitLine(rows[1][1], delim) : undefined;
  const isNum = (c: string | undefined) => c !== undefined && c !== '' && Number.isFinite(Number(c));
  const hasHeader = first.some((c, j) => !isNum(c) && (second === undefined ? first.length > 1 : isNum(second[j])));
  const header = hasHeader ? first : undefined;
  if (hasHeader) rows.shift();
  if (!rows.length) throw new DataError(`labels file '${path}' has a header but no labels`);
  const width = first.length;
  let idx: number;
  if (column === undefined) idx = width - 1;
  else if (typeof column === 'number' || /^-?\d+$/.test(column)) {
    idx = Number(column);
    if (idx < 0) idx += width;
  } else {
    const named = (header ?? []).flatMap((h, j) => (h === column ? [j] : []));
    if (named.length > 1) throw new DataError(`labels file '${path}': column name ${JSON.stringify(column)} is ambiguous: columns ${named.map((j) => j + 1).join(' and ')} (0-based ${named.join(', ')}) share it; rename one, or pass a 0-based index`);
    idx = named[0] ?? -1;
    if (idx < 0) throw new DataError(`labels file '${path}': no column named ${JSON.stringify(column)}${header ? ` (columns: ${header.join(', ')})` : ' (the file has no header)'}`);
  }
  if (idx < 0 || idx >= width) throw new DataError(`labels file '${path}': column ${column} does not exist (the file has ${width} column${width > 1 ? 's' : ''})`);
  const values: string[] = [];
  const lines: number[] = [];
  for (const [ln, l] of rows) {
    const cells = splitLine(l, delim);
    if (cells.length !== width) throw new DataError(`labels file '${path}' line ${ln}: ${cells.length} columns, expected ${width} (ragged rows)`);
    values.push(cells[idx]!);
    lines.push(ln);
  }
  return { values, lines };
}
