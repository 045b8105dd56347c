/**
 * UMAP's layout optimisation (umap-learn's `optimize_layout_euclidean`): stochastic gradient
 * descent on the fuzzy cross-entropy. Each edge is sampled in proportion to its weight (every
 * `epochsPerSample` epochs); a sample pulls the two ends together and pushes the head away from
 * `negativeSampleRate` random points. Gradients are clipped to ±4 and the step falls linearly
 * from `alpha` to 0. Single-threaded and seeded, so the same inputs give the same layout.
 */
import type { Rng } from '../../random.ts';
import type { CurveParams } from './ab-params.ts';

/** The edges to optimise: head → tail with a weight, and where each end lives. */
export interface LayoutEdges {
  /** Head vertex of each edge (a row of `head`). */
  readonly head: Int32Array;
  /** Tail vertex of each edge (a row of `tail`). */
  readonly tail: Int32Array;
  /** Weight of each edge (> 0). */
  readonly weights: Float64Array;
}

/** Options of {@link optimizeLayout}. */
export interface LayoutOptions {
  readonly curve: CurveParams;
  readonly nEpochs: number;
  /** Initial learning rate. */
  readonly alpha: number;
  /** Move the tail too (a fit); false when only new points move (a transform). */
  readonly moveOther: boolean;
  /** Negative samples per positive one. @defaultValue 5 */
  readonly negativeSampleRate?: number;
  /** Weight of the repulsion. @defaultValue 1 */
  readonly gamma?: number;
  readonly rng: Rng;
  /** Called after each epoch with its number (1-based). */
  readonly onEpoch?: (epoch: number) => void;
}

/**
 * Optimises `headEmb` (`[*, dim]`, in place) against `tailEmb` (the same array for a fit, the
 * fitted embedding for a transform). Edges lighter than max/nEpochs are never sampled.
 */
export function optimizeLayout(headEmb: Float64Array, tailEmb: Float64Array, nTail: number, dim: number, edges: LayoutEdges, o: LayoutOptions): void {
  const { a, b } = o.curve;
  const gamma = o.gamma ?? 1;
  const negRate = o.negativeSampleRate ?? 5;
  const m = edges.weights.length;
  let wMax = 0;
  for (const w of edges.weights) wMax = Math.max(wMax, w);
  // epochs between samples of each edge (−1: never), as make_epochs_per_sample after pruning
  const perSample = new Float64Array(m);
  for (let e = 0; e < m; e++) {
    const w = edges.weights[e]!;
    perSample[e] = w < wMax / o.nEpochs ? -1 : wMax / w;
  }
  const active: number[] = [];
  for (let e = 0; e < m; e++) if (perSample[e]! > 0) active.push(e);
  const act = Int32Array.from(active);
  const perNeg = new Float64Array(m);
  const nextSample = new Float64Array(m);
  const nextNeg = new Float64Array(m);
  for (const e of act) {
    perNeg[e] = perSample[e]! / negRate;
    nextSample[e] = perSample[e]!;
    nextNeg[e] = perNeg[e]!;
  }
  const rng = o.rng;
  const twoAB = 2 * a * b;
  const twoGB = 2 * gamma * b;
  let alpha = o.alpha;
  for (let epoch = 0; epoch < o.nEpochs; epoch++) {
    for (let q = 0; q < act.length; q++) {
      const e = act[q]!;
      if (nextSample[e]! > epoch) continue;
      const j = edges.head[e]! * dim;
      const k = edges.tail[e]! * dim;
      let d2 = 0;
      for (let t = 0; t < dim; t++) {
        const u = headEmb[j + t]! - tailEmb[k + t]!;
        d2 += u * u;
      }
      if (d2 > 0) {
        const pb = Math.exp(b * Math.log(d2)); // d2^b; exp∘log is twice as fast as Math.pow in V8
        const coeff = (-twoAB * pb) / d2 / (a * pb + 1);
        for (let t = 0; t < dim; t++) {
          let g = coeff * (headEmb[j + t]! - tailEmb[k + t]!);
          g = g > 4 ? 4 : g < -4 ? -4 : g;
          headEmb[j + t] += g * alpha;
          if (o.moveOther) tailEmb[k + t] -= g * alpha;
        }
      }
      nextSample[e] += perSample[e]!;
      const nNeg = Math.floor((epoch - nextNeg[e]!) / perNeg[e]!);
      for (let s = 0; s < nNeg; s++) {
        const r = rng.nextUint32() % nTail;
        const kk = r * dim;
        let dn = 0;
        for (let t = 0; t < dim; t++) {
          const u = headEmb[j + t]! - tailEmb[kk + t]!;
          dn += u * u;
        }
        if (dn > 0) {
          const coeff = twoGB / ((0.001 + dn) * (a * Math.exp(b * Math.log(dn)) + 1));
          for (let t = 0; t < dim; t++) {
            let g = coeff * (headEmb[j + t]! - tailEmb[kk + t]!);
            g = g > 4 ? 4 : g < -4 ? -4 : g;
            headEmb[j + t] += g * alpha;
          }
        } else if (o.moveOther && r * dim === j) {
          continue; // the head itself
        } else {
          for (let t = 0; t < dim; t++) headEmb[j + t] += 4 * alpha;
        }
      }
      nextNeg[e] += nNeg * perNeg[e]!;
    }
    alpha = o.alpha * (1 - epoch / o.nEpochs);
    o.onEpoch?.(epoch + 1);
  }
}
