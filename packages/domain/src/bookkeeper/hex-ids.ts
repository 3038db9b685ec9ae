import { withCapacity } from './columns.js';
import { compareTxidsAsStored } from './txid.js';

const ID_BYTES = 32;
/** Ids per page of bytes (a power of 2): 128 KiB a full page, made once and never copied. */
const PAGE_IDS_BITS = 12;
const PAGE_IDS = 1 << PAGE_IDS_BITS;
/** Texts remembered per table (a power of 2). */
const RECENT = 64;
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));
/** The codes of the four hex digits of each 16-bit value, the first digit's in the low byte (256 KiB). */
const HEX_QUADS = Uint32Array.from({ length: 65_536 }, (_, v) => HEX_CODES[v >> 12]! | (HEX_CODES[(v >> 8) & 15]! << 8) | (HEX_CODES[(v >> 4) & 15]! << 16) | (HEX_CODES[v & 15]! << 24));

/** By char code: the value of a lowercase hex digit, -1 for anything else (codes from 128 on are not looked up). */
const HEX_VALUES = Int8Array.from({ length: 128 }, (_, code) => (code >= 48 && code <= 57 ? code - 48 : code >= 97 && code <= 102 ? code - 87 : -1));

/**
 * Ids numbered in first-seen order (0, 1, …) — payment ids, txids: events store the number,
 * not the text. Such an id is almost always a hash, 64 lowercase hex digits: kept as its 32 bytes
 * in one array (a 64-character string costs ≈ 90 B of heap, a Map entry by it more), found
 * through an open-addressing hash table of numbers. Any other text (uppercase, another length,
 * not hex) is kept as it is, in a sparse map, so every id reads back exactly as it was given.
 */
export class HexIds {
  private numbered = 0;
  /**
   * The ids' bytes, PAGE_IDS ids a page: a table grows by a page, not by copying all its ids
   * into a bigger array (which kept up to a fifth of it empty: ≈ 3 MiB of the 20 at 1M). The
   * first page grows as a column does, so a small table stays small.
   */
  private readonly pages: Uint8Array[] = [];
  /** Open addressing, linear probing: number + 1 of a hex id, 0 = free; a power of 2 long, at most 3/4 full. */
  private slots = new Int32Array(1024);
  private readonly otherNumbers = new Map<string, number>();
  private readonly otherTexts = new Map<number, string>();
  /** The bytes of the id being looked up, and their hash. */
  private readonly key = new Uint8Array(ID_BYTES);
  private keyHash = 0;
  private readonly codes: number[] = new Array<number>(2 * ID_BYTES).fill(0);
  /** The texts of the ids read last, by id modulo their number: a tx's events are read together. */
  private readonly recentIds = new Int32Array(RECENT).fill(-1);
  private readonly recentTexts: string[] = new Array<string>(RECENT).fill('');

  get count(): number {
    return this.numbered;
  }

  /** The number of `text`; -1 when never added. */
  find(text: string): number {
    if (!this.readKey(text)) return this.otherNumbers.get(text) ?? -1;
    const slot = this.slotOfKey();
    return this.slots[slot]! - 1;
  }

  /** The number of `text`, numbered now if new. */
  add(text: string): number {
    if (!this.readKey(text)) {
      let id = this.otherNumbers.get(text);
      if (id === undefined) {
        id = this.numbered++;
        this.otherNumbers.set(text, id);
        this.otherTexts.set(id, text);
      }
      return id;
    }
    const slot = this.slotOfKey();
    const known = this.slots[slot]!;
    if (known !== 0) return known - 1;
    const id = this.numbered++;
    this.pageFor(id).set(this.key, (id & (PAGE_IDS - 1)) * ID_BYTES);
    this.slots[slot] = id + 1;
    if (4 * (this.numbered - this.otherNumbers.size) > 3 * this.slots.length) this.rehash();
    return id;
  }

  textOf(id: number): string {
    if (this.otherTexts.size > 0) {
      const other = this.otherTexts.get(id);
      if (other !== undefined) return other;
    }
    const recent = id & (RECENT - 1);
    if (this.recentIds[recent] === id) return this.recentTexts[recent]!;
    const bytes = this.pages[id >> PAGE_IDS_BITS]!;
    const codes = this.codes;
    for (let k = 0, at = (id & (PAGE_IDS - 1)) * ID_BYTES; k < ID_BYTES; k++, at++) {
      codes[2 * k] = HEX_CODES[bytes[at]! >> 4]!;
      codes[2 * k + 1] = HEX_CODES[bytes[at]! & 15]!;
    }
    const text = String.fromCharCode.apply(null, codes);
    this.recentIds[recent] = id;
    this.recentTexts[recent] = text;
    return text;
  }

  /** Ids `a` and `b` as compareTxidsAsStored orders their texts (by their bytes from the last, for two hex ids). */
  compareAsStored(a: number, b: number): number {
    if (a === b) return 0;
    if (this.otherTexts.size > 0 && (this.otherTexts.has(a) || this.otherTexts.has(b))) return compareTxidsAsStored(this.textOf(a), this.textOf(b));
    const x = this.pages[a >> PAGE_IDS_BITS]!;
    const y = this.pages[b >> PAGE_IDS_BITS]!;
    const atA = (a & (PAGE_IDS - 1)) * ID_BYTES;
    const atB = (b & (PAGE_IDS - 1)) * ID_BYTES;
    for (let k = ID_BYTES - 1; k >= 0; k--) {
      const d = x[atA + k]! - y[atB + k]!;
      if (d !== 0) return d < 0 ? -1 : 1;
    }
    return 0;
  }

  /**
   * Writes id `id` as its 64 hex digits (ASCII) into `out` at `at`, straight from its bytes (no string
   * made): the position after them, or -1 (nothing written) for an id kept as text (textOf).
   */
  writeHex(id: number, out: DataView, at: number): number {
    if (this.otherTexts.size > 0 && this.otherTexts.has(id)) return -1;
    const bytes = this.pages[id >> PAGE_IDS_BITS]!;
    // Two bytes at a time, as their four digits' codes (little-endian, first digit first).
    for (let k = (id & (PAGE_IDS - 1)) * ID_BYTES, end = k + ID_BYTES; k < end; k += 2, at += 4) out.setUint32(at, HEX_QUADS[(bytes[k]! << 8) | bytes[k + 1]!]!, true);
    return at;
  }

  /** The page id `id`'s bytes go in, made or grown now if need be (the first grows as a column does). */
  private pageFor(id: number): Uint8Array {
    const page = id >> PAGE_IDS_BITS;
    if (page === this.pages.length) this.pages.push(new Uint8Array(page === 0 ? 0 : PAGE_IDS * ID_BYTES));
    if (page === 0 && this.pages[0]!.length < (id + 1) * ID_BYTES) this.pages[0] = withCapacity(this.pages[0]!, (id + 1) * ID_BYTES);
    return this.pages[page]!;
  }

  /** Reads `text` into `key` and `keyHash` if it is 64 lowercase hex digits; false (key undefined) otherwise. */
  private readKey(text: string): boolean {
    if (text.length !== 2 * ID_BYTES) return false;
    const key = this.key;
    let h = FNV_OFFSET;
    for (let k = 0; k < ID_BYTES; k++) {
      const high = text.charCodeAt(2 * k);
      const low = text.charCodeAt(2 * k + 1);
      if (high >= 128 || low >= 128) return false;
      const byte = (HEX_VALUES[high]! << 4) | HEX_VALUES[low]!;
      if (byte < 0) return false;
      key[k] = byte;
      h = Math.imul(h ^ byte, FNV_PRIME);
    }
    this.keyHash = h;
    return true;
  }

  /** The slot holding `key`'s number, or the free slot where it would go. */
  private slotOfKey(): number {
    const mask = this.slots.length - 1;
    for (let slot = mixed(this.keyHash) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0 || this.keyEquals(stored - 1)) return slot;
    }
  }

  private keyEquals(id: number): boolean {
    const bytes = this.pages[id >> PAGE_IDS_BITS]!;
    const key = this.key;
    for (let k = 0, at = (id & (PAGE_IDS - 1)) * ID_BYTES; k < ID_BYTES; k++, at++) if (bytes[at] !== key[k]) return false;
    return true;
  }

  /** Twice the slots, every hex id placed again. */
  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.numbered; id++) {
      if (this.otherTexts.has(id)) continue;
      let slot = hashOf(this.pages[id >> PAGE_IDS_BITS]!, (id & (PAGE_IDS - 1)) * ID_BYTES) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** FNV-1a of the 32 bytes at `at`: every byte counts (test ids are not random like payment hashes). */
function hashOf(bytes: Uint8Array, at: number): number {
  let h = FNV_OFFSET;
  for (let k = 0; k < ID_BYTES; k++) h = Math.imul(h ^ bytes[at + k]!, FNV_PRIME);
  return mixed(h);
}

/** The hash with its high bits folded into the low ones the table indexes by. */
function mixed(h: number): number {
  return (h ^ (h >>> 15)) >>> 0;
}
