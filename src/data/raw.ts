/**
 * Loaded-but-not-materialised data: labels and shape are known, the float32 rows are produced
 * only for the rows kept (so `--limit 1000` on a large set converts 1000 images, not all).
 */

/** Data before subsetting and preprocessing. */
export interface RawData {
  readonly rows: number;
  readonly cols: number;
  /** Labels 0..C-1. */
  readonly labels?: Int32Array;
  readonly imageShape?: readonly [number, number, number];
  readonly classNames?: readonly string[];
  /** Official splits, as row indices. */
  readonly splits?: Readonly<Record<string, Int32Array>>;
  /** True when every value is known to be finite (8-bit pixels), so the NaN/Inf scan is skipped. */
  readonly finite?: boolean;
  /** The float32 rows `indices` (all rows, in order, when omitted), row-major. */
  materialize(indices?: Int32Array): Float32Array;
}

/** Copies rows `indices` of a row-major matrix. */
export function gatherRows(data: Float32Array, cols: number, indices: Int32Array): Float32Array {
  const out = new Float32Array(indices.length * cols);
  for (let i = 0; i < indices.length; i++) {
    const r = indices[i]!;
    out.set(data.subarray(r * cols, (r + 1) * cols), i * cols);
  }
  return out;
}

/** Wraps a float32 matrix. */
export function rawFromMatrix(data: Float32Array, rows: number, cols: number, extra: Omit<RawData, 'rows' | 'cols' | 'materialize'> = {}): RawData {
  return { rows, cols, ...extra, materialize: (idx) => (idx ? gatherRows(data, cols, idx) : data) };
}

/**
 * Wraps 8-bit images stored one after another (IDX bodies), optionally transposed per image
 * (EMNIST stores each image transposed; COIL-20's MATLAB rows are column-major).
 */
export function rawFromBytes(parts: ReadonlyArray<Uint8Array>, rows: number, h: number, w: number, transpose: boolean, extra: Omit<RawData, 'rows' | 'cols' | 'materialize'> = {}): RawData {
  const cols = h * w;
  const offsets: number[] = [];
  let acc = 0;
  for (const p of parts) {
    offsets.push(acc);
    acc += p.length / cols;
  }
  const rowBytes = (r: number): Uint8Array => {
    let k = parts.length - 1;
    while (offsets[k]! > r) k--;
    const local = r - offsets[k]!;
    return parts[k]!.subarray(local * cols, (local + 1) * cols);
  };
  return {
    rows,
    cols,
    ...extra,
    finite: true,
    materialize(idx) {
      const n = idx ? idx.length : rows;
      const out = new Float32Array(n * cols);
      if (!idx && !transpose) {
        let o = 0;
        for (const p of parts) {
          out.set(p, o);
          o += p.length;
        }
        return out;
      }
      for (let i = 0; i < n; i++) {
        const src = rowBytes(idx ? idx[i]! : i);
        const o = i * cols;
        if (!transpose) out.set(src, o);
        else for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[o + y * w + x] = src[x * h + y]!;
      }
      return out;
    },
  };
}
