// Small data sets the auto tests make themselves.
import type { Matrix } from '../../matrix.ts';
import { Rng } from '../../random.ts';

/**
 * Four elongated clusters of unequal sizes (600, 300, 180, 120) in 6-D, as the user suite's
 * synthetic-aniso but smaller: a full-covariance mixture's case (1200 rows: enough for the plan's
 * 40 rows per parameter of a 6-D component). `truth` is each row's cluster.
 */
export function aniso(seed: number): { x: Matrix; truth: number[] } {
  const rng = new Rng(seed);
  const rows: number[] = [];
  const truth: number[] = [];
  [600, 300, 180, 120].forEach((size, c) => {
    const centre = Array.from({ length: 6 }, () => (rng.random() * 2 - 1) * 8);
    const dir = Array.from({ length: 6 }, () => rng.normal());
    const norm = Math.hypot(...dir);
    for (let i = 0; i < size; i++) {
      const along = rng.normal() * 2.8;
      rows.push(...centre.map((m, j) => m + rng.normal() * 0.7 + (along * dir[j]!) / norm));
      truth.push(c);
    }
  });
  return { x: { data: Float32Array.from(rows), rows: truth.length, cols: 6 }, truth };
}
