/*
 * Building blocks for keeping many records as columns (one typed array per field) instead of
 * one object per record: a JS object costs ≈ 8 B a field plus its header, a bigint 24 B, a
 * string its characters twice over; a typed array holds the field's bytes and nothing else.
 */

type TypedArray = Uint8Array | Uint32Array | Int32Array | Float64Array | BigUint64Array;

/** `array` copied into one of at least `capacity` elements (doubling), or itself when it is big enough. */
export function withCapacity<T extends TypedArray>(array: T, capacity: number): T {
  if (capacity <= array.length) return array;
  let length = Math.max(array.length, 1024);
  while (length < capacity) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array as never);
  return bigger;
}

const U64_MAX = (1n << 64n) - 1n;
/** Where the low and high 32 bits of a 64-bit element are, by the platform's byte order. */
const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = 1 - LOW;

/**
 * msat amounts by record: a `BigUint64Array` (an msat field is at most 2^64 − 1), with the
 * rare value it cannot hold — negative, above, or 2^64 − 1 itself, its marker — kept exactly
 * in a sparse map. Reads give back exactly the bigint written.
 */
export class AmountColumn {
  private values = new BigUint64Array(0);
  /** The values' 32-bit halves, to read one as a number without making a bigint. */
  private halves = new Uint32Array(0);
  private readonly outliers = new Map<number, bigint>();

  grow(capacity: number): void {
    const values = withCapacity(this.values, capacity);
    if (values !== this.values) this.halves = new Uint32Array(values.buffer);
    this.values = values;
  }

  /**
   * The amount at `i` as a number when it is below 2^53 (a double holds it exactly; almost
   * every amount is), -1 otherwise (read it with get): for writing its digits.
   */
  exactNumber(i: number): number {
    const high = this.halves[2 * i + HIGH]!;
    return high < 0x20_0000 ? high * 0x1_0000_0000 + this.halves[2 * i + LOW]! : -1;
  }

  set(i: number, amount: bigint): void {
    if (amount >= 0n && amount < U64_MAX) {
      this.values[i] = amount;
      return;
    }
    this.values[i] = U64_MAX;
    this.outliers.set(i, amount);
  }

  get(i: number): bigint {
    const amount = this.values[i]!;
    return amount === U64_MAX ? this.outliers.get(i)! : amount;
  }
}

/** Texts numbered in their first-seen order, for the fields with few distinct values (origin accounts). */
export class Interner {
  private readonly ids = new Map<string, number>();
  private readonly values: string[] = [];

  /** The number of `value`; numbered now if new. */
  idOf(value: string): number {
    let id = this.ids.get(value);
    if (id === undefined) {
      id = this.values.length;
      this.ids.set(value, id);
      this.values.push(value);
    }
    return id;
  }

  valueOf(id: number): string {
    return this.values[id]!;
  }
}

const U32_MARK = 0xffff_ffff;

/**
 * Whole numbers by record (timestamps, block heights): a `Uint32Array`, with any other number
 * — negative, fractional, -0, from 2^32 − 1 (its marker) on — kept exactly in a sparse map.
 */
export class WholeNumberColumn {
  private values = new Uint32Array(0);
  private readonly outliers = new Map<number, number>();

  grow(capacity: number): void {
    this.values = withCapacity(this.values, capacity);
  }

  set(i: number, n: number): void {
    if (Number.isInteger(n) && n >= 0 && n < U32_MARK && !Object.is(n, -0)) {
      this.values[i] = n;
      if (this.outliers.size > 0) this.outliers.delete(i);
      return;
    }
    this.values[i] = U32_MARK;
    this.outliers.set(i, n);
  }

  get(i: number): number {
    const n = this.values[i]!;
    return n === U32_MARK ? this.outliers.get(i)! : n;
  }
}

/**
 * Events chained by a key (a txid, an account): the first and last event of each key, and
 * each event's next (-1: none), so the events of a key are listed in insertion order without a
 * list per key (a txid, an account, a payment id).
 */
export class EventChains {
  private first = new Int32Array(0);
  private last = new Int32Array(0);
  private next = new Int32Array(0);
  private keys = 0;

  add(key: number, event: number): void {
    if (event >= this.next.length) this.next = withCapacity(this.next, event + 1);
    this.next[event] = -1;
    if (key >= this.keys) {
      this.first = withCapacity(this.first, key + 1);
      this.last = withCapacity(this.last, key + 1);
      this.first.fill(-1, this.keys, key + 1);
      this.keys = key + 1;
    }
    if (this.first[key] === -1) this.first[key] = event;
    else this.next[this.last[key]!] = event;
    this.last[key] = event;
  }

  has(key: number): boolean {
    return key >= 0 && key < this.keys && this.first[key] !== -1;
  }

  /** The events of `key` (-1: none), in insertion order. */
  of(key: number): number[] {
    const out: number[] = [];
    if (key < 0 || key >= this.keys) return out;
    for (let i = this.first[key]!; i !== -1; i = this.next[i]!) out.push(i);
    return out;
  }
}

/** What many events share: their tag, coin type and extra tags. */
export interface EventKind {
  readonly tag: string;
  readonly coinType: string;
  readonly extraTags: readonly string[];
}

/** The (tag, coin type, extra tags) of events numbered in first-seen order: a few dozen distinct ones, one number an event. */
export class EventKinds {
  private readonly ids = new Map<string, Map<string, Map<string, number>>>();
  private readonly kinds: EventKind[] = [];

  idOf(tag: string, coinType: string, extraTags: readonly string[]): number {
    let byCoinType = this.ids.get(tag);
    if (byCoinType === undefined) this.ids.set(tag, (byCoinType = new Map()));
    let byExtraTags = byCoinType.get(coinType);
    if (byExtraTags === undefined) byCoinType.set(coinType, (byExtraTags = new Map()));
    // Most events have no extra tags; a list of some is never written as ''.
    const extraTagsKey = extraTags.length === 0 ? '' : JSON.stringify(extraTags);
    let id = byExtraTags.get(extraTagsKey);
    if (id === undefined) {
      id = this.kinds.length;
      byExtraTags.set(extraTagsKey, id);
      this.kinds.push({ tag, coinType, extraTags: [...extraTags] });
    }
    return id;
  }

  kindOf(id: number): EventKind {
    return this.kinds[id]!;
  }
}
