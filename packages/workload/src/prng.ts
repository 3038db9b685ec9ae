/**
 * A small seeded PRNG (xoshiro128**, seeded through splitmix32) so that a workload is a pure
 * function of its seed: no Math.random, no clock. Amounts come out as bigint; JS numbers are
 * only used for probabilities and small counts.
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(seed: number | string, stream = 0) {
    let x = (hashSeed(seed) ^ Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
    const next = (): number => {
      x = (x + 0x9e3779b9) >>> 0;
      return fmix32(x);
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** A new independent generator for another purpose (so one knob never shifts another's draws). */
  fork(stream: number): Rng {
    return new Rng(this.u32(), stream);
  }

  /** Uniform 32-bit unsigned integer. */
  u32(): number {
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

  /** Uniform in [0, 1). */
  float(): number {
    return this.u32() / 4294967296;
  }

  chance(probability: number): boolean {
    return this.float() < probability;
  }

  /** Uniform integer in [min, max] (both inclusive); small ranges only (< 2^32). */
  int(min: number, max: number): number {
    if (max < min) throw new Error(`rng.int: empty range [${min}, ${max}]`);
    return min + Math.floor(this.float() * (max - min + 1));
  }

  /** Uniform bigint in [min, max] (both inclusive). */
  bigint(min: bigint, max: bigint): bigint {
    if (max < min) throw new Error(`rng.bigint: empty range [${min}, ${max}]`);
    const range = max - min + 1n;
    if (range === 1n) return min;
    // Small ranges (most amounts): one float draw is exact and unbiased enough (< 2^-20).
    if (range <= 4294967296n) return min + BigInt(Math.floor(this.float() * Number(range)));
    // 96 random bits: the modulo bias is below 2^-30 for every range we use (< 2^66).
    const r = (BigInt(this.u32()) << 64n) | (BigInt(this.u32()) << 32n) | BigInt(this.u32());
    return min + (r % range);
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('rng.pick: no items');
    return items[this.int(0, items.length - 1)]!;
  }

  /** Index chosen with probability proportional to its weight (weights ≥ 0, not all 0). */
  weightedIndex(weights: readonly number[]): number {
    let total = 0;
    for (const w of weights) total += w;
    if (!(total > 0)) throw new Error('rng.weightedIndex: all weights are 0');
    let r = this.float() * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }

  /** Fisher–Yates, in place. */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(0, i);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** `bytes` random bytes as lower-case hex. */
  hex(bytes: number): string {
    let out = '';
    for (let i = 0; i < bytes; i += 4) out += hex32(this.u32());
    return out.slice(0, bytes * 2);
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/** murmur3's finalizer: a bijection on 32-bit integers (used for unique, random-looking ids). */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function hex32(x: number): string {
  return BYTE_HEX[(x >>> 24) & 0xff]! + BYTE_HEX[(x >>> 16) & 0xff]! + BYTE_HEX[(x >>> 8) & 0xff]! + BYTE_HEX[x & 0xff]!;
}

function hashSeed(seed: number | string): number {
  if (typeof seed === 'number') {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed: expected an integer, got ${seed}`);
    // Fold the high bits in so that seeds above 2^32 still differ.
    return fmix32((seed >>> 0) ^ fmix32(Math.floor(seed / 4294967296)));
  }
  let h = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 0x01000193);
  return fmix32(h >>> 0);
}
