/**
 * Seeded pseudo-random numbers shared by every module: same seed, same numbers, on every machine.
 * The generator is xoshiro128** (fast 32-bit arithmetic in JS), seeded through splitmix32.
 */

/** The whole state of an {@link Rng}, plain JSON: four 32-bit words and the cached normal value. */
export interface RngState {
  /** The four 32-bit state words. */
  readonly s: readonly [number, number, number, number];
  /** The second normal value of the last Box–Muller pair, when not yet used. */
  readonly spare: number | null;
}

/** A seeded random number generator. */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | undefined;

  /** @param seed - any integer (or a float, whose bits are mixed in) */
  constructor(seed: number) {
    let x = hashSeed(seed);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The generator's state, so a checkpoint can continue the same stream ({@link Rng.fromState}). */
  getState(): RngState {
    return { s: [this.s0, this.s1, this.s2, this.s3], spare: this.spare ?? null };
  }

  /**
   * A generator continuing exactly where the one that gave `state` was.
   * @throws TypeError when `state` is not an {@link RngState}
   */
  static fromState(state: RngState): Rng {
    const ok = Array.isArray(state?.s) && state.s.length === 4 && state.s.every((v) => Number.isInteger(v)) && (state.spare === null || typeof state.spare === 'number');
    if (!ok) throw new TypeError(`Rng.fromState: not a generator state: ${JSON.stringify(state)?.slice(0, 80)}`);
    const r = new Rng(0);
    [r.s0, r.s1, r.s2, r.s3] = state.s;
    r.spare = state.spare ?? undefined;
    return r;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  random(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  /** Standard normal (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spare !== undefined) {
      const s = this.spare;
      this.spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = this.random();
    const v = this.random();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * A new generator derived from this one and a label. It takes a number from this generator, so
   * the forks of one generator depend on their order: use it for the sub-streams of one consumer;
   * the streams of a run are `stream(seed, name)`s (this module), which depend only on the seed and their name.
   */
  fork(label: number | string): Rng {
    const h = typeof label === 'number' ? label : hashString(label);
    return new Rng((this.nextUint32() ^ Math.imul(h | 0, 0x27d4eb2d)) >>> 0);
  }
}

/**
 * The seed of the stream named `names` of `seed`: a hash of the seed and the names (strings and
 * integers, in order). No stream depends on which others were drawn, or when, so a phase that is
 * skipped or resumed needs no replay. This is the one way a run derives its seeds.
 */
export function deriveSeed(seed: number, ...names: readonly (string | number)[]): number {
  let h = fmix32(hashSeed(seed) ^ 0x2545f491);
  for (const name of names) {
    const v = typeof name === 'number' ? fmix32(hashSeed(name) ^ 0x9e3779b9) : fmix32(hashString(name));
    h = fmix32((Math.imul(h, 0x01000193) ^ v) >>> 0);
  }
  return h;
}

/** A generator for the stream named `names` of `seed` (see {@link deriveSeed}). */
export function stream(seed: number, ...names: readonly (string | number)[]): Rng {
  return new Rng(deriveSeed(seed, ...names));
}

/** MurmurHash3's finaliser: every input bit reaches every output bit. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

function hashSeed(seed: number): number {
  if (Number.isInteger(seed) && Math.abs(seed) < 2 ** 53) {
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    return (lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0;
  }
  const f = new Float64Array([seed]);
  const u = new Uint32Array(f.buffer);
  return (u[0]! ^ Math.imul(u[1]!, 0x9e3779b1)) >>> 0;
}

function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** A generator for `seed`, or for a fixed default seed (0) when none is given. */
export function rng(seed?: number): Rng {
  return new Rng(seed ?? 0);
}
