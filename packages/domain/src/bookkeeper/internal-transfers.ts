import { chainIncomeOf, type IncomeRow } from './income.js';
import { externalEvents, type Books, type ChainEvent } from './state.js';
import { txidOf } from './txid.js';

/*
 * Organization-wide, a coin that leaves one of our accounts and arrives in another is no
 * income and no withdrawal: a send to `external` (a `withdrawal` row at outpoint O, there once
 * the send confirmed) whose output O shows up as a `deposit` of an account we track — another
 * node's wallet, or a 3rd-party wallet — is an internal transfer. Only its fee is an expense.
 * Recognized on the income rows, by outpoint, so the order the two sides arrived in does not
 * matter; `withoutInternalTransfers` and `internalTransfers` share that one rule.
 */

/** The side of a possible internal transfer an income row is: coins sent away at its outpoint, or received there. */
function sideOf(row: IncomeRow): 'sent' | 'received' | null {
  if (row.outpoint === null) return null;
  if (row.tag === 'withdrawal' && row.debitMsat > 0n) return 'sent';
  if (row.tag === 'deposit' && row.creditMsat > 0n) return 'received';
  return null;
}

/**
 * The rule: an outpoint where one row sends and another row receives is an internal
 * transfer. For each, the first sending and the first receiving item of `items`, in their order.
 */
function pairedByOutpoint<T>(items: Iterable<T>, rowOf: (item: T) => IncomeRow): Map<string, { sent: T; received: T }> {
  const sent = new Map<string, T>();
  const received = new Map<string, T>();
  for (const item of items) {
    const row = rowOf(item);
    const side = sideOf(row);
    if (side === null) continue;
    const ofSide = side === 'sent' ? sent : received;
    if (!ofSide.has(row.outpoint!)) ofSide.set(row.outpoint!, item);
  }
  const pairs = new Map<string, { sent: T; received: T }>();
  for (const [outpoint, s] of sent) {
    const r = received.get(outpoint);
    if (r !== undefined) pairs.set(outpoint, { sent: s, received: r });
  }
  return pairs;
}

/**
 * The organization's income rows less the internal transfers: both their rows go (the
 * `withdrawal` and the `deposit` at the outpoint); the fee rows stay, as the only expense.
 */
export function withoutInternalTransfers<R extends IncomeRow>(rows: readonly R[]): R[] {
  const internal = internalTransferOutpoints(rows);
  if (internal.size === 0) return [...rows];
  return rows.filter((r) => !isInternalTransferRow(r, internal));
}

/** The outpoints of the internal transfers among the organization's income rows (by the one rule). */
export function internalTransferOutpoints(rows: Iterable<IncomeRow>): ReadonlySet<string> {
  return new Set(pairedByOutpoint(rows, (r) => r).keys());
}

/** A row `withoutInternalTransfers` takes out: the `withdrawal` or `deposit` at an internal transfer's outpoint. */
export function isInternalTransferRow(row: IncomeRow, internal: ReadonlySet<string>): boolean {
  return row.outpoint !== null && (row.tag === 'withdrawal' || row.tag === 'deposit') && internal.has(row.outpoint);
}

/** One node's books, as part of the organization. */
export interface NodeBooks {
  readonly nodeId: string;
  readonly books: Books;
}

/** An account of the organization: the node (or 3rd-party feed) it belongs to and its name. */
export interface OrgAccount {
  readonly nodeId: string;
  readonly account: string;
}

/** A transaction output that moved coins from one account we track to another. */
export interface InternalTransfer {
  /** `<txid>:<vout>` of the output that carried the coins. */
  readonly outpoint: string;
  readonly txid: string;
  /** What left the sending account (its `withdrawal`). */
  readonly amountMsat: bigint;
  readonly currency: string;
  /** The sending account: the origin its send to `external` names (`external` when it names none). */
  readonly from: OrgAccount;
  readonly to: OrgAccount;
  /** Block and time of the send, as the sending node recorded it (final: the block is known). */
  readonly blockheight: number;
  readonly timestamp: number;
}

/**
 * The internal transfers among the organization's accounts: exactly the outpoints
 * `withoutInternalTransfers` takes out of the organization's income statement. `org` in a
 * stable order (where two accounts received the same output, the first one's is the
 * transfer); with `involving`, only the transfers with a side on one of those nodes. Listed
 * in the order of their sends (by node, then event).
 * The same rule as on the income rows, found through the books' indexes rather than by
 * reading every event: a sending row can only be a send to `external` (its `withdrawal`
 * row), and the receiving rows of an outpoint are among the events of its transaction.
 */
export function internalTransfers(org: readonly NodeBooks[], involving?: ReadonlySet<string>): InternalTransfer[] {
  const incomes: NodeIncome[] = org.map(({ nodeId, books }) => ({ nodeId, books, incomeOf: chainIncomeOf(books) }));
  const transfers: InternalTransfer[] = [];
  const sendsSeen = new Set<string>();
  for (const { nodeId, books, incomeOf } of incomes) {
    for (const event of externalEvents(books)) {
      const sent = incomeOf(event);
      if (sent === null || sideOf(sent) !== 'sent' || sendsSeen.has(event.outpoint)) continue;
      sendsSeen.add(event.outpoint);
      const received = firstReceived(incomes, event.outpoint);
      if (received === null || (involving && !involving.has(nodeId) && !involving.has(received.nodeId))) continue;
      transfers.push({
        outpoint: event.outpoint,
        txid: txidOf(event.outpoint),
        amountMsat: sent.debitMsat,
        currency: sent.currency,
        from: { nodeId, account: sent.account },
        to: { nodeId: received.nodeId, account: received.row.account },
        blockheight: event.blockheight,
        timestamp: event.timestamp,
      });
    }
  }
  return transfers;
}

/** A node's books with the income rule of its chain events. */
interface NodeIncome extends NodeBooks {
  readonly incomeOf: (e: ChainEvent) => IncomeRow | null;
}

/** The first receiving row at `outpoint`, in org order, then event order. */
function firstReceived(incomes: readonly NodeIncome[], outpoint: string): { nodeId: string; row: IncomeRow } | null {
  const txid = txidOf(outpoint);
  for (const { nodeId, books, incomeOf } of incomes) {
    const events = books.chainEvents;
    for (const i of events.createdInTx(txid)) {
      if (events.outpointOf(i) !== outpoint) continue;
      const row = incomeOf(events.at(i));
      if (row !== null && sideOf(row) === 'received') return { nodeId, row };
    }
  }
  return null;
}
