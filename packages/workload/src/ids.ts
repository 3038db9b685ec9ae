import { fmix32, hex32, type Rng } from './prng.js';

/** What a transaction is for; only used to make demo ids readable. */
export type TxPurpose = 'deposit' | 'funding' | 'send' | 'transfer' | 'close' | 'commitment' | 'sweep';

/** Where the simulator gets its identifiers (node ids, txids, channel ids, payment hashes). */
export interface IdSource {
  /** 66 hex chars, `02` or `03` first (a compressed public key). */
  nodeId(): string;
  /** 64 hex chars, as shown to users. */
  txid(purpose: TxPurpose): string;
  channelId(): string;
  paymentHash(): string;
}

/**
 * Random-looking ids that can never collide: the first 32 bits are a bijection of a counter,
 * the other 224 bits come from the seeded generator.
 */
export class RandomIds implements IdSource {
  private counter = 0;
  private readonly salt: number;

  constructor(private readonly rng: Rng) {
    this.salt = rng.u32();
  }

  private unique32(): string {
    const n = this.counter++;
    if (n > 0xffffffff) throw new Error('RandomIds: more than 2^32 ids');
    return hex32(fmix32((n ^ this.salt) >>> 0));
  }

  nodeId(): string {
    return (this.rng.chance(0.5) ? '02' : '03') + this.unique32() + this.rng.hex(28);
  }

  txid(): string {
    return this.unique32() + this.rng.hex(28);
  }

  channelId(): string {
    return this.unique32() + this.rng.hex(28);
  }

  paymentHash(): string {
    return this.unique32() + this.rng.hex(28);
  }
}

const TX_PREFIX: Record<TxPurpose, string> = {
  deposit: 'de9051',
  funding: 'f0dded',
  send: '5e4d00',
  transfer: '7a45f3',
  close: 'c105ed',
  commitment: 'c0441e',
  sweep: '5eeb00',
};

/**
 * Ids a person can tell apart in a demo: a purpose prefix, zeros, and a counter at the end
 * (`f0dded00…0003` is the third funding transaction).
 */
export class ReadableIds implements IdSource {
  private counter = 0;

  nodeId(): string {
    return this.make('02', 'a0de', 66);
  }

  txid(purpose: TxPurpose): string {
    return this.make('', TX_PREFIX[purpose], 64);
  }

  channelId(): string {
    return this.make('', 'c4a22e1', 64);
  }

  paymentHash(): string {
    return this.make('', 'ba1d', 64);
  }

  private make(head: string, prefix: string, length: number): string {
    const tail = (++this.counter).toString(16);
    return head + prefix + tail.padStart(length - head.length - prefix.length, '0');
  }
}
