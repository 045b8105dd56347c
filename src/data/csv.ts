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
  const firstLine = text.slice(0, 65536).split(/\r\n|\r|\n/).find((l) => l.trim() !== '' && !l.startsWith('#'));
  if (firstLine === undefined) throw new DataError(`'${source}' is empty; expected rows of numbers (one sample per line)`);
  const delim = options.delimiter ?? detectDelimiter(firstLine, source);
  const recs = text.includes('"') ? quotedRecords(text, delim, source) : plainRecords(text, delim);
  const first = recs.cells(0);
  const second = recs.count > 1 ? recs.cells(1) : undefined;
  const isNum = (c: string | undefined) => c !== undefined && c !== '' && (Number.isFinite(Number(c)) || NON_FINITE.test(c));
  let header: string[] | undefined;
  let skip = 0;
  if (first.some((c, j) => !isNum(c) && (second === undefined || isNum(second[j])))) {
    header = first;
    skip = 1;
  }
  if (recs.count - skip === 0) throw new DataError(`'${source}' has a header but no data rows; add one sample per line below it`);
  const lines = { length: recs.count - skip };
  const split = (r: number) => recs.cells(r + skip);
  const lineNo = (r: number) => recs.line(r + skip);
  const width = header?.length ?? split(0).length;
  let labelIdx = -1;
  if (options.labelColumn !== undefined && options.labelColumn !== '') {
    const lc = options.labelColumn;
    if (typeof lc === 'number' || /^-?\d+$/.test(lc)) {
      labelIdx = Number(lc);
      if (labelIdx < 0) labelIdx += width;
    } else {
      const named = (header ?? []).flatMap((h, j) => (h === lc ? [j] : []));
      if (named.length > 1)
        throw new DataError(`'${source}': label column ${JSON.stringify(lc)} is ambiguous: columns ${named.map((j) => j + 1).join(' and ')} (0-based ${named.join(', ')}) are all named ${JSON.stringify(lc)}; rename one, or pass the 0-based index of the label column`);
      labelIdx = named[0] ?? -1;
    }
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
    const cells = split(r);
    const ln = lineNo(r);
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
        throw new DataError(`'${source}' line ${ln}, column ${c + 1}: ${cell === '' ? 'empty cell' : `non-numeric value ${JSON.stringify(cell)}${/^[+-]?\d+,\d+$/.test(cell) ? ' (a decimal comma? write it with a point)' : ''}`}; clean or impute it first`);
      x[o++] = v;
    }
  }
  let labels: EncodedLabels | undefined;
  if (labelIdx >= 0) {
    const numeric = labelCells.every((c) => Number.isFinite(Number(c)));
    if (numeric) {
      const bad = labelCells.findIndex((c) => !Number.isInteger(Number(c)));
      if (bad >= 0) throw new DataError(`'${source}' line ${lineNo(bad)}: label ${JSON.stringify(labelCells[bad])} is not an integer (class names are fine too, but not fractions)`);
      labels = encodeLabels(labelCells.map(Number));
    } else labels = encodeLabels(labelCells);
  }
  return { x, rows, cols, labels, header };
}

/** The data records of a text: how many, the cells of one, the line it starts on (1-based). */
interface Records {
  readonly count: number;
  cells(r: number): string[];
  line(r: number): number;
}

/** Lines split on `\n`, `\r\n` or a lone `\r` (classic Mac files); blank and `#` lines skipped. */
function plainRecords(text: string, delim: string | RegExp): Records {
  const lines: string[] = [];
  const nos: number[] = [];
  text.split(/\r\n|\r|\n/).forEach((l, i) => {
    if (l.trim() !== '' && !l.startsWith('#')) {
      lines.push(l);
      nos.push(i + 1);
    }
  });
  return { count: lines.length, cells: (r) => splitLine(lines[r]!, delim), line: (r) => nos[r]! };
}

/**
 * RFC 4180 records: fields in double quotes may hold the delimiter, line breaks and `""` (one
 * quote). Blank lines and lines starting with `#` are skipped, as in {@link plainRecords}.
 * @throws DataError for quotes in a whitespace-separated file, or a quote left open
 */
function quotedRecords(text: string, delim: string | RegExp, source: string): Records {
  if (typeof delim !== 'string') throw new DataError(`'${source}' has quoted fields, which are supported only with a comma, tab or semicolon delimiter; remove the quotes or separate the cells with commas`);
  const rows: string[][] = [];
  const nos: number[] = [];
  let line = 1;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const start = line;
    const atLineStart = text[i];
    if (atLineStart === '#' || atLineStart === '\n' || atLineStart === '\r') {
      // a comment or blank line: skip to its end
      while (i < n && text[i] !== '\n' && text[i] !== '\r') i++;
      if (text[i] === '\r' && text[i + 1] === '\n') i++;
      i++;
      line++;
      continue;
    }
    const cells: string[] = [];
    let cell = '';
    let quoted = false;
    for (;;) {
      const c = text[i];
      if (quoted) {
        if (i >= n) throw new DataError(`'${source}' line ${start}: a quoted field is never closed (a '"' is missing); close it or remove the quote`);
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
          } else {
            quoted = false;
            i++;
          }
          continue;
        }
        if (c === '\n' || (c === '\r' && text[i + 1] !== '\n')) line++;
        cell += c;
        i++;
        continue;
      }
      if (i >= n || c === '\n' || c === '\r') {
        cells.push(cell.trim());
        if (c === '\r' && text[i + 1] === '\n') i++;
        i++;
        line++;
        break;
      }
      if (c === delim) {
        cells.push(cell.trim());
        cell = '';
      } else if (c === '"' && cell.trim() === '') {
        quoted = true;
        cell = '';
      } else cell += c;
      i++;
    }
    if (cells.length === 1 && cells[0] === '') continue;
    rows.push(cells);
    nos.push(start);
  }
  return { count: rows.length, cells: (r) => rows[r]!, line: (r) => nos[r]! };
}

/** Reads and parses a CSV/TSV/TXT file (gzip-compressed or not). @throws DataError as {@link parseDelimited} */
export function readDelimited(path: string, options: DelimitedOptions = {}): Table {
  return parseDelimited(readText(path), path, options);
}
