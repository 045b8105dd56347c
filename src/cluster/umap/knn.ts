/**
 * Exact k nearest neighbours (Euclidean) by tiles: for a tile of queries and a tile of base rows,
 * one onnxruntime kernel computes ‖b‖² − 2 q·b by GEMM and keeps each query's k smallest (TopK);
 * the tiles' lists are merged here. The kept neighbours' distances are then recomputed in float64 from the
 * rows and sorted (ties: lower index first), so the result does not depend on GEMM rounding
 * beyond which near-ties were kept.
 *
 * O(queries · base · d) work; about a second of GEMM for 70,000 × 70,000 × 10 on two cores.
 */
import type { Matrix } from '../../matrix.ts';
import { type KernelRuntime, tileNearest } from '../_internal/kernels.ts';
import { centered, columnMeans } from '../_internal/validate.ts';

/** Neighbours of each query row. */
export interface NearestNeighbors {
  /** `[queries, k]`: base row indices, nearest first. */
  readonly indices: Int32Array;
  /** `[queries, k]`: their Euclidean distances (float64). */
  readonly distances: Float64Array;
  /** Neighbours per row. */
  readonly k: number;
}

/** Query rows per GEMM tile. */
const QUERY_TILE = 1024;
/** Entries of one tile's product (16 M float32 = 64 MB). */
const TILE_ENTRIES = 1 << 24;

/**
 * The `k` nearest rows of `base` for every row of `queries` (a row of `base` is its own nearest
 * neighbour, at distance 0, when `queries` is `base`). `tiles` sets the tile sizes (tests).
 */
export async function nearestNeighbors(queries: Matrix, base: Matrix, k: number, runtime: KernelRuntime = {}, tiles: { query?: number; base?: number } = {}): Promise<NearestNeighbors> {
  const d = base.cols;
  const nq = queries.rows;
  const nb = base.rows;
  // centre on the base's mean so the norms, and the cancellation in ‖b‖² − 2q·b, stay small
  const mean = columnMeans(base.data, nb, d);
  const b32 = centred(base, mean);
  const q32 = queries === base ? b32 : centred(queries, mean);
  const bNorm = new Float32Array(nb);
  for (let i = 0; i < nb; i++) {
    let s = 0;
    for (let t = 0; t < d; t++) s += b32[i * d + t]! * b32[i * d + t]!;
    bNorm[i] = s;
  }
  const cand = new Int32Array(nq * k).fill(-1);
  const candV = new Float32Array(nq * k).fill(Infinity);
  const queryTile = tiles.query ?? QUERY_TILE;
  const baseTile = tiles.base ?? Math.max(1, Math.min(nb, Math.floor(TILE_ENTRIES / queryTile)));
  const mergedI = new Int32Array(k);
  const mergedV = new Float32Array(k);
  for (let q0 = 0; q0 < nq; q0 += queryTile) {
    const qn = Math.min(queryTile, nq - q0);
    const qt = q32.subarray(q0 * d, (q0 + qn) * d);
    for (let b0 = 0; b0 < nb; b0 += baseTile) {
      const bn = Math.min(baseTile, nb - b0);
      const kt = Math.min(k, bn);
      const tile = await tileNearest(qt, qn, b32.subarray(b0 * d, (b0 + bn) * d), bn, bNorm.subarray(b0, b0 + bn), d, kt, runtime);
      for (let r = 0; r < qn; r++) {
        // merge the row's sorted list with the tile's sorted k (earlier tiles first on ties)
        const off = (q0 + r) * k;
        let a = 0;
        let t = 0;
        for (let j = 0; j < k; j++) {
          const tv = t < kt ? tile.partial[r * kt + t]! : Infinity;
          if (candV[off + a]! <= tv) {
            mergedV[j] = candV[off + a]!;
            mergedI[j] = cand[off + a++]!;
          } else {
            mergedV[j] = tv;
            mergedI[j] = b0 + Number(tile.indices[r * kt + t++]!);
          }
        }
        candV.set(mergedV, off);
        cand.set(mergedI, off);
      }
    }
  }
  // exact float64 distances of the kept neighbours, sorted
  const distances = new Float64Array(nq * k);
  const order = new Int32Array(k);
  const tmpI = new Int32Array(k);
  const tmpD = new Float64Array(k);
  for (let i = 0; i < nq; i++) {
    const off = i * k;
    for (let j = 0; j < k; j++) {
      const p = cand[off + j]!;
      let s = 0;
      for (let t = 0; t < d; t++) {
        const u = queries.data[i * d + t]! - base.data[p * d + t]!;
        s += u * u;
      }
      tmpD[j] = Math.sqrt(s);
      tmpI[j] = p;
      order[j] = j;
    }
    order.sort((x, y) => tmpD[x]! - tmpD[y]! || tmpI[x]! - tmpI[y]!);
    for (let j = 0; j < k; j++) {
      cand[off + j] = tmpI[order[j]!]!;
      distances[off + j] = tmpD[order[j]!]!;
    }
  }
  return { indices: cand, distances, k };
}

/** `x` minus `mean` per column, in float32 (the kernels' dtype). */
function centred(x: Matrix, mean: Float64Array): Float32Array {
  const c = centered(x.data, x.rows, x.cols, mean);
  return c instanceof Float32Array ? c : Float32Array.from(c);
}
