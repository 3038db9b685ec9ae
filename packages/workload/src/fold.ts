import { parseMsat } from '@bkpr/contracts';
import type { WorkloadItem } from './stream.js';

/** One account's sums, folded from notifications. */
export interface FoldedBalance {
  readonly nodeId: string;
  readonly account: string;
  readonly coinType: string;
  creditMsat: bigint;
  debitMsat: bigint;
  /** Credits and debits of chain events tagged `ignored`. */
  ignoredCreditMsat: bigint;
  ignoredDebitMsat: bigint;
}

export interface FoldResult {
  /** Keyed by `node_id|account|coin_type`; `external` is left out. */
  readonly balances: Map<string, FoldedBalance>;
  /** Items skipped as exact re-sends of an earlier body. */
  readonly replaysDropped: number;
  /** Snapshot rows that did not match the running sums (excluding `ignored`) at their point in the stream. */
  readonly snapshotMismatches: { nodeId: string; account: string; snapshotMsat: bigint; foldedMsat: bigint }[];
  /** Accounts whose running balance went below zero at some point (non-ignored events). */
  readonly wentNegative: Set<string>;
}

/**
 * A deliberately naive second reading of a generated stream: Σ credit − Σ debit per (node,
 * account, coin type) straight from the notification bodies, the way CLN's `listbalances`
 * adds them up. With `dropReplays`, an item whose body is byte-identical to an earlier one is
 * skipped (our spec's rule for exact re-sends). Keeps every body's text in memory when
 * dropping replays: for tests, not for 10M events.
 */
export function foldBalances(items: Iterable<Pick<WorkloadItem, 'nodeId' | 'body'>>, options: { dropReplays?: boolean } = {}): FoldResult {
  const balances = new Map<string, FoldedBalance>();
  const seen = new Set<string>();
  const snapshotMismatches: FoldResult['snapshotMismatches'] = [];
  const wentNegative = new Set<string>();
  let replaysDropped = 0;

  const row = (nodeId: string, account: string, coinType: string): FoldedBalance => {
    const key = `${nodeId}|${account}|${coinType}`;
    let b = balances.get(key);
    if (!b) {
      b = { nodeId, account, coinType, creditMsat: 0n, debitMsat: 0n, ignoredCreditMsat: 0n, ignoredDebitMsat: 0n };
      balances.set(key, b);
    }
    return b;
  };
  const add = (nodeId: string, account: string, coinType: string, credit: unknown, debit: unknown, ignored: boolean): void => {
    if (account === 'external') return;
    const b = row(nodeId, account, coinType);
    const c = msat(credit);
    const d = msat(debit);
    if (ignored) {
      b.ignoredCreditMsat += c;
      b.ignoredDebitMsat += d;
    } else {
      b.creditMsat += c;
      b.debitMsat += d;
    }
    if (b.creditMsat - b.debitMsat < 0n) wentNegative.add(`${nodeId}|${account}|${coinType}`);
  };

  for (const item of items) {
    if (options.dropReplays) {
      const text = JSON.stringify(item.body);
      if (seen.has(text)) {
        replaysDropped++;
        continue;
      }
      seen.add(text);
    }
    const body = unwrap(item.body);
    if ('coin_movement' in body) {
      const m = body['coin_movement'] as Record<string, unknown>;
      // v2 sends `tags[]`; the newer format `primary_tag` + `extra_tags`.
      const tags = (m['tags'] as string[] | undefined) ?? [m['primary_tag'] as string, ...((m['extra_tags'] as string[] | undefined) ?? [])];
      add(String(m['node_id']), String(m['account_id']), String(m['coin_type']), m['credit_msat'], m['debit_msat'], m['type'] === 'chain_mvt' && tags.includes('ignored'));
    } else if ('utxo_deposit' in body) {
      const u = body['utxo_deposit'] as Record<string, unknown>;
      add(item.nodeId, String(u['account']), String(u['coin_type']), u['amount_msat'], 0, false);
    } else if ('utxo_spend' in body) {
      const u = body['utxo_spend'] as Record<string, unknown>;
      add(item.nodeId, String(u['account']), String(u['coin_type']), 0, u['amount_msat'], false);
    } else if ('balance_snapshot' in body) {
      const s = body['balance_snapshot'] as Record<string, unknown>;
      const nodeId = String(s['node_id']);
      for (const a of s['accounts'] as Record<string, unknown>[]) {
        const b = balances.get(`${nodeId}|${String(a['account_id'])}|${String(a['coin_type'])}`);
        const folded = b ? b.creditMsat - b.debitMsat : 0n;
        const snapshotMsat = msat(a['balance_msat']);
        if (folded !== snapshotMsat) snapshotMismatches.push({ nodeId, account: String(a['account_id']), snapshotMsat, foldedMsat: folded });
      }
    } else {
      throw new Error(`foldBalances: unknown notification ${Object.keys(body).join(',')}`);
    }
  }
  return { balances, replaysDropped, snapshotMismatches, wentNegative };
}

function unwrap(body: Record<string, unknown>): Record<string, unknown> {
  if ('origin' in body && 'payload' in body) return body['payload'] as Record<string, unknown>;
  return body;
}

function msat(value: unknown): bigint {
  const parsed = parseMsat(value);
  if (!parsed.ok) throw new Error(`foldBalances: ${parsed.reason}`);
  return parsed.msat;
}
