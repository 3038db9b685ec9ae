/**
 * What the simulator says happened, before it is written in one of CLN's notification
 * formats (see formats/). Amounts are bigint msat; ids are lower-case hex.
 */

/** The notification names CLN's bookkeeper subscribes to. */
export const NOTIFICATION_KINDS = ['coin_movement', 'balance_snapshot', 'utxo_deposit', 'utxo_spend'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One bitcoin output created (a credit) or spent (a debit, with `spendingTxid`). */
export interface ChainRecord {
  readonly kind: 'chain';
  readonly nodeId: string;
  readonly account: string;
  /** Set by lightningd on `wallet`/`external` outputs onchaind produced for a channel, and on sends (`wallet`). */
  readonly originAccount?: string;
  /** Only on `channel_open`. */
  readonly peerId?: string;
  /** The transaction that spends the output (absent for a creation). */
  readonly spendingTxid?: string;
  readonly txid: string;
  readonly vout: number;
  readonly paymentHash?: string;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly outputMsat: bigint;
  /** Outputs of the spending tx, on `channel_close` only. */
  readonly outputCount?: number;
  readonly tags: readonly string[];
  /** 0 = not confirmed yet. */
  readonly blockheight: number;
  readonly timestamp: number;
  readonly coinType: string;
}

/** A channel-level movement: an HTLC settled, a push, a lease fee. */
export interface ChannelRecord {
  readonly kind: 'channel';
  readonly nodeId: string;
  readonly account: string;
  readonly paymentHash?: string;
  readonly partId?: number;
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly feesMsat: bigint;
  readonly tags: readonly string[];
  readonly timestamp: number;
  readonly coinType: string;
}

export interface SnapshotRecord {
  readonly kind: 'snapshot';
  readonly nodeId: string;
  readonly blockheight: number;
  readonly timestamp: number;
  readonly accounts: readonly { readonly account: string; readonly balanceMsat: bigint; readonly coinType: string }[];
}

/** A 3rd-party wallet's output created (`account: "external"` + `transferFrom` = a send). */
export interface UtxoDepositRecord {
  readonly kind: 'utxo_deposit';
  /** The node whose plugin forwarded it (the notification itself names no node). */
  readonly nodeId: string;
  readonly account: string;
  readonly transferFrom: string | null;
  readonly txid: string;
  readonly vout: number;
  readonly amountMsat: bigint;
  readonly coinType: string;
  readonly timestamp: number;
  readonly blockheight: number;
}

export interface UtxoSpendRecord {
  readonly kind: 'utxo_spend';
  readonly nodeId: string;
  readonly account: string;
  readonly txid: string;
  readonly vout: number;
  readonly spendingTxid: string;
  readonly amountMsat: bigint;
  readonly coinType: string;
  readonly timestamp: number;
  readonly blockheight: number;
}

export type SimRecord = ChainRecord | ChannelRecord | SnapshotRecord | UtxoDepositRecord | UtxoSpendRecord;

export function notificationKindOf(record: SimRecord): NotificationKind {
  switch (record.kind) {
    case 'chain':
    case 'channel':
      return 'coin_movement';
    case 'snapshot':
      return 'balance_snapshot';
    case 'utxo_deposit':
      return 'utxo_deposit';
    case 'utxo_spend':
      return 'utxo_spend';
  }
}
