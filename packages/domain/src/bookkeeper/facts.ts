/**
 * The facts of one node as the ledger stored them, in arrival order (`seq`: the movement's
 * stream sequence). The bookkeeper folds them, in that order, into CLN's derived state.
 */
/** What chain and channel facts share: a movement on one account. */
interface AccountMovementFact {
  readonly seq: bigint;
  readonly account: string;
  readonly tag: string;
  readonly extraTags: readonly string[];
  readonly creditMsat: bigint;
  readonly debitMsat: bigint;
  readonly paymentId: string | null;
  readonly timestamp: number;
  readonly coinType: string;
  readonly description: string | null;
}

export interface ChainFact extends AccountMovementFact {
  readonly type: 'chain';
  readonly outputMsat: bigint;
  /** `<txid>:<vout>` */
  readonly outpoint: string;
  readonly spendingTxid: string | null;
  readonly blockheight: number;
  readonly originAccount: string | null;
  readonly peerId: string | null;
  readonly outputCount: number | null;
  /** `coin_movement` from the node itself, or `utxo_deposit` / `utxo_spend` of a 3rd-party wallet. */
  readonly source: 'coin_movement' | 'utxo';
}

export interface ChannelFact extends AccountMovementFact {
  readonly type: 'channel';
  readonly feesMsat: bigint;
  readonly partId: bigint | null;
}

export interface SnapshotFact {
  readonly type: 'snapshot';
  readonly seq: bigint;
  readonly account: string;
  readonly balanceMsat: bigint;
  readonly coinType: string;
  readonly blockheight: number | null;
  readonly timestamp: number;
}

/** An operator's description edit (`bkpr-editdescriptionby*`), kept as a fact so history stays. */
export interface DescriptionFact {
  readonly type: 'description';
  readonly seq: bigint;
  readonly by: 'outpoint' | 'payment_id';
  readonly key: string;
  readonly description: string;
}

export type Fact = ChainFact | ChannelFact | SnapshotFact | DescriptionFact;

/** Something in the facts that cannot be right; CLN's plugin would stop, we report it. */
export interface Problem {
  readonly code:
    | 'negative_balance'
    | 'channel_event_for_unknown_account'
    | 'missed_channel'
    | 'close_without_output_count'
    | 'close_without_open'
    | 'unpaired_spend'
    | 'invoice_fees_exceed_debit'
    | 'external_deposit_without_origin'
    | 'repeated_penalty_adjustment';
  readonly account: string;
  readonly message: string;
}
