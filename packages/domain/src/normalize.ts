import type { BalanceSnapshot, CoinMovement, Movement, Notification, UtxoDeposit, UtxoSpend } from '@bkpr/contracts';
import { contentIdOfWire, contentMovementId, idlessWireJson, indexedMovementId, wireJsonWithId } from './movement-id.js';

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
  return normalizeWith(notification, context, withId);
}

/** A movement and its wire form (`JSON.stringify(movementToWire(movement))`, the same text). */
export interface EncodedMovement {
  readonly movement: Movement;
  readonly json: string;
}

export type EncodeResult =
  | { readonly ok: true; readonly movements: EncodedMovement[] }
  | { readonly ok: false; readonly path: string; readonly message: string };

/**
 * `normalizeNotification` plus each movement's wire form, for the gateway: the wire form is
 * written once, and a content id hashes that same text (with an empty id) — one
 * `JSON.stringify` a movement instead of two.
 */
export function normalizeAndEncode(notification: Notification, context: IngestContext): EncodeResult {
  return normalizeWith(notification, context, withIdEncoded);
}

/** What a movement's content becomes once it has its id. */
type Finish<T> = (fields: ContentFields, createdIndex: bigint | null) => T;

function normalizeWith<T>(
  notification: Notification,
  context: IngestContext,
  finish: Finish<T>,
): { readonly ok: true; readonly movements: T[] } | { readonly ok: false; readonly path: string; readonly message: string } {
  switch (notification.name) {
    case 'coin_movement':
      return { ok: true, movements: [finish(coinMovementFields(notification.body), notification.body.createdIndex)] };
    case 'balance_snapshot':
      return { ok: true, movements: notification.body.flatMap((s) => snapshotFields(s).map((f) => finish(f, null))) };
    case 'utxo_deposit':
    case 'utxo_spend': {
      if (context.nodeId === null) {
        return {
          ok: false,
          path: 'node_id',
          message: `${notification.name} names no node: pass ?node_id=, the X-Bkpr-Node header or a node-bound token`,
        };
      }
      const fields =
        notification.name === 'utxo_deposit' ? utxoDepositFields(notification.body, context.nodeId) : utxoSpendFields(notification.body, context.nodeId);
      return { ok: true, movements: [finish(fields, null)] };
    }
  }
}

function withId(fields: ContentFields, createdIndex: bigint | null): Movement {
  const c = content(fields);
  const id = createdIndex === null ? contentMovementId(c) : indexedMovementId(c.nodeId, c.kind, createdIndex);
  return Object.assign(c, { id }) as Movement;
}

function withIdEncoded(fields: ContentFields, createdIndex: bigint | null): EncodedMovement {
  const c = content(fields);
  const idless = idlessWireJson(c);
  const id = createdIndex === null ? contentIdOfWire(idless) : indexedMovementId(c.nodeId, c.kind, createdIndex);
  return { movement: Object.assign(c, { id }) as Movement, json: wireJsonWithId(idless, id) };
}

function coinMovementFields(m: CoinMovement): ContentFields {
  const chain = m.type === 'chain_mvt';
  return {
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
  };
}

/** One movement per account listed in the snapshot. */
function snapshotFields(s: BalanceSnapshot): ContentFields[] {
  return s.accounts.map((a) => ({
    nodeId: s.nodeId,
    kind: 'snapshot',
    account: a.accountId,
    primaryTag: 'balance_snapshot',
    blockheight: s.blockheight,
    timestamp: s.timestamp,
    coinType: a.coinType,
    balanceMsat: a.balanceMsat,
  }));
}

function utxoDepositFields(d: UtxoDeposit, nodeId: string): ContentFields {
  return {
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
  };
}

function utxoSpendFields(s: UtxoSpend, nodeId: string): ContentFields {
  return {
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
  };
}

/**
 * An operator's description edit as a movement (kind `description`, `account` = what it is
 * keyed by), so it travels and is stored like every other fact, in order. Its id is the edit's
 * own (`<node>:description:<editId>`), not its content: the same edit made again later (say,
 * once more events of the payment arrived) applies again, as it does in CLN.
 */
export function descriptionEditMovement(nodeId: string, by: 'outpoint' | 'payment_id', key: string, description: string, timestamp: number, editId: string): Movement {
  return {
    id: `${nodeId}:description:${editId}`,
    ...content({
      nodeId,
      kind: 'description',
      account: by,
      primaryTag: 'description_edit',
      outpoint: by === 'outpoint' ? key : null,
      paymentId: by === 'payment_id' ? key : null,
      timestamp,
      coinType: '',
      description,
    }),
  };
}
