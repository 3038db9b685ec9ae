import type { BalanceSnapshot, CoinMovement, Movement, Notification, UtxoDeposit, UtxoSpend } from '@bkpr/contracts';
import { contentMovementId, indexedMovementId } from './movement-id.js';

/** Who sent a notification, for those that do not say (`utxo_deposit`, `utxo_spend`). */
export interface IngestContext {
  /** From `?node_id=`, the `X-Bkpr-Node` header or the caller's node-bound token. */
  readonly nodeId: string | null;
}

export type NormalizeResult =
  | { readonly ok: true; readonly movements: Movement[] }
  | { readonly ok: false; readonly path: string; readonly message: string };

type Content = Omit<Movement, 'id'>;
type ContentFields = Partial<Content> & Pick<Content, 'nodeId' | 'kind' | 'account' | 'primaryTag' | 'timestamp' | 'coinType'>;

/**
 * A movement's content with every field present, built as one object literal: normalizing is
 * on the ingest hot path, and spreading a default object per movement costs more than the
 * validation itself.
 */
function content(f: ContentFields): Content {
  return {
    nodeId: f.nodeId,
    kind: f.kind,
    account: f.account,
    primaryTag: f.primaryTag,
    extraTags: f.extraTags ?? [],
    creditMsat: f.creditMsat ?? 0n,
    debitMsat: f.debitMsat ?? 0n,
    outputMsat: f.outputMsat ?? null,
    feesMsat: f.feesMsat ?? 0n,
    outpoint: f.outpoint ?? null,
    spendingTxid: f.spendingTxid ?? null,
    paymentId: f.paymentId ?? null,
    partId: f.partId ?? null,
    blockheight: f.blockheight ?? null,
    timestamp: f.timestamp,
    coinType: f.coinType,
    originAccount: f.originAccount ?? null,
    peerId: f.peerId ?? null,
    outputCount: f.outputCount ?? null,
    description: f.description ?? null,
    balanceMsat: f.balanceMsat ?? null,
  };
}

/** Turns one validated notification into the movements it stands for. */
export function normalizeNotification(notification: Notification, context: IngestContext): NormalizeResult {
  switch (notification.name) {
    case 'coin_movement':
      return { ok: true, movements: [fromCoinMovement(notification.body)] };
    case 'balance_snapshot':
      return { ok: true, movements: notification.body.flatMap(fromSnapshot) };
    case 'utxo_deposit':
    case 'utxo_spend': {
      if (context.nodeId === null) {
        return {
          ok: false,
          path: 'node_id',
          message: `${notification.name} names no node: pass ?node_id=, the X-Bkpr-Node header or a node-bound token`,
        };
      }
      const movement =
        notification.name === 'utxo_deposit' ? fromUtxoDeposit(notification.body, context.nodeId) : fromUtxoSpend(notification.body, context.nodeId);
      return { ok: true, movements: [movement] };
    }
  }
}

function withId(fields: ContentFields, createdIndex: bigint | null = null): Movement {
  const c = content(fields);
  const id = createdIndex === null ? contentMovementId(c) : indexedMovementId(c.nodeId, c.kind, createdIndex);
  return Object.assign(c, { id }) as Movement;
}

export function fromCoinMovement(m: CoinMovement): Movement {
  const chain = m.type === 'chain_mvt';
  return withId(
    {
      nodeId: m.nodeId,
      kind: chain ? 'chain' : 'channel',
      account: m.accountId,
      primaryTag: m.primaryTag,
      extraTags: [...m.extraTags],
      creditMsat: m.creditMsat,
      debitMsat: m.debitMsat,
      outputMsat: m.outputMsat,
      feesMsat: m.feesMsat,
      outpoint: m.outpoint,
      spendingTxid: m.spendingTxid,
      paymentId: m.paymentHash,
      partId: chain ? null : m.partId,
      blockheight: m.blockheight,
      timestamp: m.timestamp,
      coinType: m.coinType,
      originAccount: m.originatingAccount,
      peerId: m.peerId,
      outputCount: m.outputCount,
    },
    m.createdIndex,
  );
}

/** One movement per account listed in the snapshot. */
function fromSnapshot(s: BalanceSnapshot): Movement[] {
  return s.accounts.map((a) =>
    withId({
      nodeId: s.nodeId,
      kind: 'snapshot',
      account: a.accountId,
      primaryTag: 'balance_snapshot',
      blockheight: s.blockheight,
      timestamp: s.timestamp,
      coinType: a.coinType,
      balanceMsat: a.balanceMsat,
    }),
  );
}

function fromUtxoDeposit(d: UtxoDeposit, nodeId: string): Movement {
  return withId({
    nodeId,
    kind: 'utxo_deposit',
    account: d.account,
    primaryTag: 'deposit',
    creditMsat: d.amountMsat,
    outputMsat: d.amountMsat,
    outpoint: d.outpoint,
    blockheight: d.blockheight,
    timestamp: d.timestamp,
    coinType: d.coinType,
    originAccount: d.transferFrom,
  });
}

function fromUtxoSpend(s: UtxoSpend, nodeId: string): Movement {
  return withId({
    nodeId,
    kind: 'utxo_spend',
    account: s.account,
    primaryTag: 'withdrawal',
    debitMsat: s.amountMsat,
    outputMsat: s.amountMsat,
    outpoint: s.outpoint,
    spendingTxid: s.spendingTxid,
    blockheight: s.blockheight,
    timestamp: s.timestamp,
    coinType: s.coinType,
  });
}

/**
 * An operator's description edit as a movement (kind `description`, `account` = what it is
 * keyed by), so it travels and is stored like every other fact, in order.
 */
export function descriptionEditMovement(nodeId: string, by: 'outpoint' | 'payment_id', key: string, description: string, timestamp: number): Movement {
  return withId({
    nodeId,
    kind: 'description',
    account: by,
    primaryTag: 'description_edit',
    outpoint: by === 'outpoint' ? key : null,
    paymentId: by === 'payment_id' ? key : null,
    timestamp,
    coinType: '',
    description,
  });
}
