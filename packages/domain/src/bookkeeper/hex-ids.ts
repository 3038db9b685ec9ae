import { withCapacity } from './columns.js';

const ID_BYTES = 32;
const HEX_CODES = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** The value of hex digit `code` (a char code), lowercase only; -1 for anything else. */
function hexValue(code: number): number {
  if (code >= 48 && code <= 57) return code - 48;
  if (code >= 97 && code <= 102) return code - 87;
  return -1;
}

/**
 * Payment ids numbered in first-seen order (0, 1, …): events store the number, not the text.
 * A payment id is almost always a payment hash, 64 lowercase hex digits: kept as its 32 bytes
 * in one array (a 64-character string costs ≈ 90 B of heap, a Map entry by it more), found
 * through an open-addressing hash table of numbers. Any other text (uppercase, another length,
 * not hex) is kept as it is, in a sparse map, so every id reads back exactly as it was given.
 */
export class PaymentIds {
  private numbered = 0;
  private bytes = new Uint8Array(0);
  /** Open addressing, linear probing: number + 1 of a hex id, 0 = free; a power of 2 long, at most half full. */
  private slots = new Int32Array(1024);
  private readonly otherNumbers = new Map<string, number>();
  private readonly otherTexts = new Map<number, string>();
  /** The bytes of the id being looked up. */
  private readonly key = new Uint8Array(ID_BYTES);
  private readonly codes: number[] = new Array<number>(2 * ID_BYTES).fill(0);

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
    this.bytes = withCapacity(this.bytes, (id + 1) * ID_BYTES);
    this.bytes.set(this.key, id * ID_BYTES);
    this.slots[slot] = id + 1;
    if (2 * (this.numbered - this.otherNumbers.size) > this.slots.length) this.rehash();
    return id;
  }

  textOf(id: number): string {
    if (this.otherTexts.size > 0) {
      const other = this.otherTexts.get(id);
      if (other !== undefined) return other;
    }
    const bytes = this.bytes;
    const codes = this.codes;
    for (let k = 0, at = id * ID_BYTES; k < ID_BYTES; k++, at++) {
      codes[2 * k] = HEX_CODES[bytes[at]! >> 4]!;
      codes[2 * k + 1] = HEX_CODES[bytes[at]! & 15]!;
    }
    return String.fromCharCode.apply(null, codes);
  }

  /** Reads `text` into `key` if it is 64 lowercase hex digits; false (key undefined) otherwise. */
  private readKey(text: string): boolean {
    if (text.length !== 2 * ID_BYTES) return false;
    for (let k = 0; k < ID_BYTES; k++) {
      const high = hexValue(text.charCodeAt(2 * k));
      const low = hexValue(text.charCodeAt(2 * k + 1));
      if (high < 0 || low < 0) return false;
      this.key[k] = (high << 4) | low;
    }
    return true;
  }

  /** The slot holding `key`'s number, or the free slot where it would go. */
  private slotOfKey(): number {
    const mask = this.slots.length - 1;
    for (let slot = hashOf(this.key, 0) & mask; ; slot = (slot + 1) & mask) {
      const stored = this.slots[slot]!;
      if (stored === 0 || this.keyEquals(stored - 1)) return slot;
    }
  }

  private keyEquals(id: number): boolean {
    const at = id * ID_BYTES;
    for (let k = 0; k < ID_BYTES; k++) if (this.bytes[at + k] !== this.key[k]) return false;
    return true;
  }

  /** Twice the slots, every hex id placed again. */
  private rehash(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    const mask = this.slots.length - 1;
    for (let id = 0; id < this.numbered; id++) {
      if (this.otherTexts.has(id)) continue;
      let slot = hashOf(this.bytes, id * ID_BYTES) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = id + 1;
    }
  }
}

/** A 32-bit hash of the 32 bytes at `at`: every byte counts (test ids are not random like payment hashes). */
function hashOf(bytes: Uint8Array, at: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < ID_BYTES; k++) h = Math.imul(h ^ bytes[at + k]!, 0x01000193);
  return (h ^ (h >>> 15)) >>> 0;
}
