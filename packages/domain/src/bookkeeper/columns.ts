/*
 * Building blocks for keeping many records as columns (one typed array per field) instead of
 * one object per record: a JS object costs ≈ 8 B a field plus its header, a bigint 24 B, a
 * string its characters twice over; a typed array holds the field's bytes and nothing else.
 */

type TypedArray = Uint8Array | Uint16Array | Uint32Array | Int32Array | Float64Array | BigUint64Array;

/**
 * `array` copied into one of at least `capacity` elements, or itself when it is big enough.
 * Grown by a quarter, not doubled: the books' columns are most of the reporting process, and
 * a doubled column is up to half empty (a quarter more is at most a fifth empty, for ≈ 4
 * copies of each element over its growth instead of 1 — memcpy, a few ms at 1M events).
 */
export function withCapacity<T extends TypedArray>(array: T, capacity: number): T {
  if (capacity <= array.length) return array;
  let length = Math.max(array.length, 1024);
  while (length < capacity) length = Math.ceil(length * 1.25);
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array as never);
  return bigger;
}

/** Small whole numbers (ids of accounts, of event kinds, part ids) in the narrowest array that holds them all. */
export type NarrowArray = Uint8Array | Uint16Array | Uint32Array;

/**
 * `array` with `n` (a whole number, 0 ≤ n < 2^32) at `i`: itself, or a copy in a wider array
 * when `n` does not fit (1 byte, then 2, then 4 per element).
 */
export function setNarrow(array: NarrowArray, i: number, n: number): NarrowArray {
  if (n > 0xff && (array instanceof Uint8Array || (n > 0xffff && array instanceof Uint16Array))) {
    const wider = n > 0xffff ? new Uint32Array(array.length) : new Uint16Array(array.length);
    wider.set(array);
    array = wider;
  }
  array[i] = n;
  return array;
}

const U32_MARK = 0xffff_ffff;
const U32_MARK_BIG = 0xffff_ffffn;
const HIGH_MARK = 0xffff;
const TWO_32 = 0x1_0000_0000;
/** Amounts from here on (its marker included) are outliers even with the high halves. */
const U48_MARK = (1n << 48n) - 1n;
/** Outliers of a column without high halves that make it keep them: over 1 in this many records. */
const OUTLIERS_PER_HIGH = 32;

/**
 * msat amounts by record, exactly: the low 32 bits in a `Uint32Array`, and bits 32–47 in a
 * `Uint16Array` only once more than 1 amount in 32 needs them (channel amounts almost never
 * do; chain amounts often). An amount the arrays cannot hold — negative, too big, or the
 * marker itself (low 2^32 − 1, and high 2^16 − 1 when kept) — is kept in a sparse map.
 * Reads give back exactly the bigint written.
 */
export class AmountColumn {
  private low = new Uint32Array(0);
  /** Bits 32–47 (null: not kept; every amount outside `low` is an outlier). */
  private high: Uint16Array | null = null;
  private readonly outliers = new Map<number, bigint>();

  grow(capacity: number): void {
    this.low = withCapacity(this.low, capacity);
    if (this.high !== null) this.high = withCapacity(this.high, capacity);
  }

  /**
   * The amount at `i` as a number when it is below 2^53 (a double holds it exactly; almost
   * every amount is), -1 otherwise (read it with get): for writing its digits.
   */
  exactNumber(i: number): number {
    const low = this.low[i]!;
    const high = this.high;
    if (high === null) return low !== U32_MARK ? low : this.outlierNumber(i);
    const h = high[i]!;
    return low === U32_MARK && h === HIGH_MARK ? this.outlierNumber(i) : h * TWO_32 + low;
  }

  set(i: number, amount: bigint): void {
    if (this.outliers.size > 0) this.outliers.delete(i);
    const high = this.high;
    if (amount >= 0n && amount < U32_MARK_BIG) {
      this.low[i] = Number(amount);
      if (high !== null) high[i] = 0;
    } else if (high !== null && amount >= 0n && amount < U48_MARK) {
      const n = Number(amount);
      this.low[i] = n % TWO_32;
      high[i] = Math.floor(n / TWO_32);
    } else {
      this.low[i] = U32_MARK;
      if (high !== null) high[i] = HIGH_MARK;
      this.outliers.set(i, amount);
      if (high === null && this.outliers.size > OUTLIERS_PER_HIGH && this.outliers.size * OUTLIERS_PER_HIGH > i) this.keepHighs();
    }
  }

  get(i: number): bigint {
    const low = this.low[i]!;
    const high = this.high;
    if (high === null) return low !== U32_MARK ? BigInt(low) : this.outliers.get(i)!;
    const h = high[i]!;
    if (h === 0) return BigInt(low);
    return low === U32_MARK && h === HIGH_MARK ? this.outliers.get(i)! : BigInt(h * TWO_32 + low);
  }

  private outlierNumber(i: number): number {
    const amount = this.outliers.get(i)!;
    return amount >= 0n && amount <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(amount) : -1;
  }

  /** Bits 32–47 kept from now on: the outliers that fit move into the arrays. */
  private keepHighs(): void {
    const high = new Uint16Array(this.low.length);
    this.high = high;
    for (const [i, amount] of this.outliers) {
      if (amount >= 0n && amount < U48_MARK) {
        const n = Number(amount);
        this.low[i] = n % TWO_32;
        high[i] = Math.floor(n / TWO_32);
        this.outliers.delete(i);
      } else high[i] = HIGH_MARK;
    }
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
 * Events chained by a key (a txid, an account, a payment id): each event's next, and per key
 * its last event, whose next is the key's first (a ring), so the events of a key are listed
 * in insertion order without a list per key, in one number a key and one an event.
 */
export class EventChains {
  /** The last event of each key; -1: none. */
  private last = new Int32Array(0);
  /** The next event of the same key; the last one's is the first. */
  private next = new Int32Array(0);
  private keys = 0;

  add(key: number, event: number): void {
    if (event >= this.next.length) this.next = withCapacity(this.next, event + 1);
    if (key >= this.keys) {
      this.last = withCapacity(this.last, key + 1);
      this.last.fill(-1, this.keys, key + 1);
      this.keys = key + 1;
    }
    const last = this.last[key]!;
    if (last === -1) this.next[event] = event;
    else {
      this.next[event] = this.next[last]!;
      this.next[last] = event;
    }
    this.last[key] = event;
  }

  has(key: number): boolean {
    return key >= 0 && key < this.keys && this.last[key] !== -1;
  }

  /** The events of `key` (-1: none), in insertion order. */
  of(key: number): number[] {
    const out: number[] = [];
    if (!this.has(key)) return out;
    const last = this.last[key]!;
    for (let i = this.next[last]!; ; i = this.next[i]!) {
      out.push(i);
      if (i === last) return out;
    }
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

/**
 * Whole numbers to whole numbers (keys 0 ≤ k < 2^31, values −2^31 ≤ v < 2^31: record indices by
 * txid number), in two Int32Arrays with open addressing, at most 3/4 full: ≈ 11–21 B an entry
 * instead of ≈ 30 for a Map of numbers.
 */
export class NumberMap {
  /** −1: free. A power of 2 long. */
  private keys = new Int32Array(16).fill(-1);
  private values = new Int32Array(16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The value of `key`, `missing` when it has none. */
  get(key: number, missing: number): number {
    const slot = this.slotOf(key);
    return this.keys[slot] === key ? this.values[slot]! : missing;
  }

  set(key: number, value: number): void {
    if (!(Number.isInteger(key) && key >= 0 && key <= 0x7fff_ffff)) throw new RangeError(`NumberMap key ${key}: expected a whole number below 2^31`);
    if (!(Number.isInteger(value) && value >= -0x8000_0000 && value <= 0x7fff_ffff)) throw new RangeError(`NumberMap value ${value}: expected a 32-bit whole number`);
    let slot = this.slotOf(key);
    if (this.keys[slot] !== key) {
      if (4 * (this.count + 1) > 3 * this.keys.length) {
        this.rehash();
        slot = this.slotOf(key);
      }
      this.keys[slot] = key;
      this.count++;
    }
    this.values[slot] = value;
  }

  /** The slot holding `key`, or the free slot where it would go. */
  private slotOf(key: number): number {
    const keys = this.keys;
    const mask = keys.length - 1;
    for (let slot = (Math.imul(key, 0x9e37_79b1) >>> 0) & mask; ; slot = (slot + 1) & mask) {
      const stored = keys[slot]!;
      if (stored === key || stored === -1) return slot;
    }
  }

  private rehash(): void {
    const { keys, values } = this;
    this.keys = new Int32Array(keys.length * 2).fill(-1);
    this.values = new Int32Array(keys.length * 2);
    for (let k = 0; k < keys.length; k++) {
      if (keys[k] === -1) continue;
      const slot = this.slotOf(keys[k]!);
      this.keys[slot] = keys[k]!;
      this.values[slot] = values[k]!;
    }
  }
}
