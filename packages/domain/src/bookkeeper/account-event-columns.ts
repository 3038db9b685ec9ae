import { AmountColumn, EventKinds, setNarrow, WholeNumberColumn, withCapacity, type NarrowArray } from './columns.js';
import { HexIds } from './hex-ids.js';

/** `accountNames[id]`: the name of account `id`. */
export interface AccountNames {
  readonly length: number;
  readonly [id: number]: { readonly name: string };
}

/** The fields every event of an account has, set by `pushShared`. */
interface SharedEventFields {
  readonly accountId: number;
  readonly timestamp: number;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly tag: string;
  readonly coinType: string;
  readonly extraTags: readonly string[];
  readonly description: string | null;
  readonly paymentId: string | null;
}

/** Events per block of the order columns (a power of 2): a block keeps its first event's order, the others their step from the one before. */
const ORDER_BLOCK_BITS = 5;
const ORDER_BLOCK = 1 << ORDER_BLOCK_BITS;
/** `orderSteps` value of an event whose order is kept in `outlyingOrders`. */
const OUTLYING_STEP = 0xff;

/** Flags of an event with a description, and of its amount's side; subclasses use bits 1, 4 and 32 of `flags`. */
const DESCRIBED = 2;
/** The amount is the debit (the credit is 0); without DEBIT or BOTH, it is the credit (the debit is 0). */
const DEBIT = 8;
/** Credit and debit both above 0 (never seen from CLN): the amount is the credit, the debit in `bothDebits`. */
const BOTH = 16;

/**
 * The columns that chain and channel events share (order, account, timestamp, credit and
 * debit, kind, flags, description, payment id) and their per-field reads. An event's credit
 * and debit are one amount and its side (a flag): one of the two is 0 in every event CLN
 * writes. Account and kind numbers are kept in the narrowest array that holds them. A subclass adds its own
 * columns, growing them in `grow` (calling this one), and makes an event as readers see it in `at`.
 */
export abstract class AccountEventColumns<E> implements Iterable<E> {
  protected count = 0;
  /**
   * Orders, which grow with the index (insertion order among all events, fee rows and
   * description edits): the order of each block's first event, and each event's step from the
   * event before less 1 — mostly 0 for channel events, small for chain events; any other
   * (a step from 256 on, an order that is not a whole number below 2^53) kept in `outlyingOrders`.
   * 1.25 B an event instead of 4.
   */
  private orderBases = new Float64Array(0);
  private orderSteps = new Uint8Array(0);
  private readonly outlyingOrders = new Map<number, number>();
  private lastOrder = 0;
  private accountIds: NarrowArray = new Uint8Array(0);
  private readonly timestamps = new WholeNumberColumn();
  /** The credit, or the debit (DEBIT), or both: the credit here, the debit in `bothDebits` (BOTH). */
  private readonly amounts = new AmountColumn();
  private readonly bothDebits = new Map<number, bigint>();
  /** Numbers in `eventKinds` of the (tag, coin type, extra tags). */
  private kinds: NarrowArray = new Uint8Array(0);
  protected flags = new Uint8Array(0);
  protected readonly descriptions = new Map<number, string>();
  protected readonly eventKinds = new EventKinds();
  /** Number + 1 in `paymentIds`; 0: none. */
  protected paymentNumbers = new Uint32Array(0);
  private readonly paymentIds = new HexIds();

  constructor(private readonly accountNames: AccountNames) {}

  abstract at(i: number): E;

  get length(): number {
    return this.count;
  }

  /** Sets the shared fields of event `count` (growing the columns when full), its flags to `flags`; its index. The subclass sets the rest, then counts it. */
  protected pushShared(order: number, e: SharedEventFields, flags: number): number {
    const i = this.count;
    if (i === this.flags.length) this.grow(i + 1);
    this.setOrder(i, order);
    this.accountIds = setNarrow(this.accountIds, i, e.accountId);
    this.timestamps.set(i, e.timestamp);
    if (e.debitMsat === 0n) this.amounts.set(i, e.creditMsat);
    else if (e.creditMsat === 0n) {
      this.amounts.set(i, e.debitMsat);
      flags |= DEBIT;
    } else {
      this.amounts.set(i, e.creditMsat);
      this.bothDebits.set(i, e.debitMsat);
      flags |= BOTH;
    }
    this.kinds = setNarrow(this.kinds, i, this.eventKinds.idOf(e.tag, e.coinType, e.extraTags));
    this.flags[i] = flags;
    if (e.description !== null) this.setDescription(i, e.description);
    this.paymentNumbers[i] = e.paymentId === null ? 0 : this.paymentIds.add(e.paymentId) + 1;
    return i;
  }

  protected grow(capacity: number): void {
    this.orderSteps = withCapacity(this.orderSteps, capacity);
    // A base for every block the steps can hold (they are grown past `capacity`).
    this.orderBases = withCapacity(this.orderBases, (this.orderSteps.length >> ORDER_BLOCK_BITS) + 1);
    this.accountIds = withCapacity(this.accountIds, capacity);
    this.timestamps.grow(capacity);
    this.amounts.grow(capacity);
    this.kinds = withCapacity(this.kinds, capacity);
    this.flags = withCapacity(this.flags, capacity);
    this.paymentNumbers = withCapacity(this.paymentNumbers, capacity);
  }

  *[Symbol.iterator](): Generator<E> {
    for (let i = 0; i < this.count; i++) yield this.at(i);
  }

  filter(keep: (e: E) => boolean): E[] {
    const out: E[] = [];
    for (const e of this) if (keep(e)) out.push(e);
    return out;
  }

  map<T>(f: (e: E) => T): T[] {
    const out: T[] = [];
    for (const e of this) out.push(f(e));
    return out;
  }

  /** The indices of every event, by timestamp, then insertion order. */
  indicesByTime(): number[] {
    const indices = Array.from({ length: this.count }, (_, i) => i);
    const timestamps = this.timestamps;
    let sorted = true;
    for (let i = 1; i < this.count && sorted; i++) sorted = timestamps.get(i - 1) <= timestamps.get(i);
    return sorted ? indices : indices.sort((a, b) => timestamps.get(a) - timestamps.get(b) || a - b);
  }

  // One field of event `i`, for the loops over many events.
  orderOf(i: number): number {
    const steps = this.orderSteps;
    let k = i & ~(ORDER_BLOCK - 1);
    let order = this.orderBases[k >> ORDER_BLOCK_BITS]!;
    for (k++; k <= i; k++) {
      const step = steps[k]!;
      order = step === OUTLYING_STEP ? this.outlyingOrders.get(k)! : order + step + 1;
    }
    return order;
  }
  extraTagsOf(i: number): readonly string[] {
    return this.eventKinds.kindOf(this.kinds[i]!).extraTags;
  }
  accountOf(i: number): string {
    return this.accountNames[this.accountIds[i]!]!.name;
  }
  accountIdOf(i: number): number {
    return this.accountIds[i]!;
  }
  tagOf(i: number): string {
    return this.eventKinds.kindOf(this.kinds[i]!).tag;
  }
  coinTypeOf(i: number): string {
    return this.eventKinds.kindOf(this.kinds[i]!).coinType;
  }
  creditOf(i: number): bigint {
    return (this.flags[i]! & DEBIT) !== 0 ? 0n : this.amounts.get(i);
  }
  debitOf(i: number): bigint {
    const flags = this.flags[i]!;
    return (flags & DEBIT) !== 0 ? this.amounts.get(i) : (flags & BOTH) !== 0 ? this.bothDebits.get(i)! : 0n;
  }
  /** The amounts as numbers when below 2^53, else -1 (AmountColumn.exactNumber). */
  creditNumberOf(i: number): number {
    return (this.flags[i]! & DEBIT) !== 0 ? 0 : this.amounts.exactNumber(i);
  }
  debitNumberOf(i: number): number {
    const flags = this.flags[i]!;
    return (flags & DEBIT) !== 0 ? this.amounts.exactNumber(i) : (flags & BOTH) !== 0 ? -1 : 0;
  }
  timestampOf(i: number): number {
    return this.timestamps.get(i);
  }
  descriptionOf(i: number): string | null {
    return (this.flags[i]! & DESCRIBED) === 0 ? null : this.descriptions.get(i)!;
  }
  paymentIdOf(i: number): string | null {
    const payment = this.paymentNumbers[i]!;
    return payment === 0 ? null : this.paymentIds.textOf(payment - 1);
  }
  /** The number in `paymentIdTable` of event `i`'s payment id (-1: none), to write it from its bytes. */
  paymentNumberOf(i: number): number {
    return this.paymentNumbers[i]! - 1;
  }
  get paymentIdTable(): HexIds {
    return this.paymentIds;
  }

  private setOrder(i: number, order: number): void {
    const step = order - this.lastOrder - 1;
    this.lastOrder = order;
    if ((i & (ORDER_BLOCK - 1)) === 0) {
      this.orderBases[i >> ORDER_BLOCK_BITS] = order;
      this.orderSteps[i] = 0;
    } else if (step >= 0 && step < OUTLYING_STEP && Number.isSafeInteger(order) && Number.isSafeInteger(step) && !Object.is(order, -0)) {
      this.orderSteps[i] = step;
    } else {
      this.orderSteps[i] = OUTLYING_STEP;
      this.outlyingOrders.set(i, order);
    }
  }

  setDescription(i: number, description: string): void {
    this.flags[i]! |= DESCRIBED;
    this.descriptions.set(i, description);
  }
}
