/*
 * JSON written straight into bytes (UTF-8), for answers of many rows: no string per row or per
 * field, so encoding a row costs about what copying its bytes does. The text is JSON.stringify's
 * for the same values, byte for byte (bigints as bare integers).
 */

const encoder = new TextEncoder();

/** UTF-8 being written: `bytes` up to `length`, grown as needed. */
export class JsonBytes {
  bytes: Uint8Array;
  /** `bytes`, for writing several at once. */
  view: DataView;
  length = 0;

  /** `allocate`: new bytes to write into (a caller on Node may give Buffer.allocUnsafe: they are written before read). */
  constructor(
    capacity: number,
    private readonly allocate: (length: number) => Uint8Array = (length) => new Uint8Array(length),
  ) {
    this.bytes = allocate(capacity);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
  }

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.length + n <= this.bytes.length) return;
    const bigger = this.allocate(Math.max(2 * this.bytes.length, this.length + n));
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
    this.view = new DataView(bigger.buffer, bigger.byteOffset, bigger.length);
  }

  /** What was written, handed over; writing goes on in new bytes of the same capacity. */
  take(): Uint8Array {
    const written = this.bytes.subarray(0, this.length);
    this.bytes = this.allocate(this.bytes.length);
    this.view = new DataView(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length);
    this.length = 0;
    return written;
  }

  byte(code: number): void {
    this.room(1);
    this.bytes[this.length++] = code;
  }

  /** Bytes written as they are. */
  raw(bytes: Uint8Array): void {
    this.room(bytes.length);
    this.bytes.set(bytes, this.length);
    this.length += bytes.length;
  }

  /** Text that is ASCII (a number's or a bigint's digits), as it is. */
  ascii(text: string): void {
    this.room(text.length);
    const bytes = this.bytes;
    let at = this.length;
    for (let k = 0; k < text.length; k++) bytes[at++] = text.charCodeAt(k);
    this.length = at;
  }

  /** A string as JSON, quoted and escaped as JSON.stringify does. */
  string(text: string): void {
    if (!NOT_PLAIN.test(text)) {
      this.room(text.length + 2);
      const bytes = this.bytes;
      let at = this.length;
      bytes[at++] = QUOTE;
      for (let k = 0; k < text.length; k++) bytes[at++] = text.charCodeAt(k);
      bytes[at++] = QUOTE;
      this.length = at;
      return;
    }
    const json = JSON.stringify(text);
    // A UTF-16 unit is at most 3 bytes of UTF-8 (a surrogate pair, 2 units, is 4).
    this.room(3 * json.length);
    this.length += encoder.encodeInto(json, this.bytes.subarray(this.length)).written;
  }

  /** A whole number 0 ≤ n ≤ 2^53 − 1, in decimal. */
  wholeNumber(n: number): void {
    this.room(16);
    const bytes = this.bytes;
    let digits = 1;
    for (let power = 10; power <= n; power *= 10) digits++;
    const end = this.length + digits;
    let at = end;
    // Above 2^31, in doubles, until the rest is a small integer (a timestamp, most msat are).
    while (n > 0x7fff_ffff) {
      const q = Math.floor(n / 100);
      const pair = 2 * (n - 100 * q);
      bytes[--at] = DIGIT_PAIRS[pair + 1]!;
      bytes[--at] = DIGIT_PAIRS[pair]!;
      n = q;
    }
    let m = n | 0;
    while (m >= 100) {
      const q = (m / 100) | 0;
      const pair = 2 * (m - 100 * q);
      bytes[--at] = DIGIT_PAIRS[pair + 1]!;
      bytes[--at] = DIGIT_PAIRS[pair]!;
      m = q;
    }
    if (m >= 10) {
      bytes[--at] = DIGIT_PAIRS[2 * m + 1]!;
      bytes[--at] = DIGIT_PAIRS[2 * m]!;
    } else bytes[--at] = 48 + m;
    this.length = end;
  }

  /** A number as JSON writes it (JSON has no NaN or Infinity: null). */
  number(n: number): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n)) this.wholeNumber(n);
    else this.ascii(Number.isFinite(n) ? String(n) : 'null');
  }

  /** A bigint as a bare JSON integer, exact at any size. */
  amount(n: bigint): void {
    if (n >= 0n && n <= MAX_EXACT) this.wholeNumber(Number(n));
    else this.ascii(n.toString());
  }
}

const QUOTE = 34;
/** The digits of 0 to 99, two each: `00`, `01`, … */
const DIGIT_PAIRS = Uint8Array.from({ length: 200 }, (_, k) => 48 + (k % 2 === 0 ? Math.floor(k / 20) : (k >> 1) % 10));
const MAX_EXACT = BigInt(Number.MAX_SAFE_INTEGER);

/** Anything JSON writes otherwise than as it is: all but printable ASCII, and `"` and `\\`. */
const NOT_PLAIN = /[^\x20-\x7e]|["\\]/;

/** Text as UTF-8 (the fixed parts of rows, made once). */
export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}
