import type { ChainEventList } from './chain-events.js';
import type { IncomeRow } from './income.js';
import { externalAccountId, type Books } from './state.js';
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
  return new InternalTransferFinder().find(org, involving);
}

/*
 * The rule's two sides read from the events' columns, without making income rows (chainIncomeOf
 * makes them alike; the spec holds the two together). A send: an event of the `external` account
 * whose row is a `withdrawal` with a debit — a deposit to external with a credit (the row's
 * debit), once confirmed (a block height not 0). A receipt: an event whose row is a `deposit`
 * with a credit — a deposit of another account with a credit, from a transaction none of the
 * node's own outputs were spent into (coins from such a transaction are a move within the node,
 * no row).
 */

/** Event `i` is a receipt. */
function isReceipt(events: ChainEventList, i: number): boolean {
  return events.tagOf(i) === 'deposit' && events.accountOf(i) !== 'external' && hasCredit(events, i) && !events.isOutputTxSpentInto(i);
}

/** Credit above zero; read as a number when it is one (no bigint made). */
function hasCredit(events: ChainEventList, i: number): boolean {
  const credit = events.creditNumberOf(i);
  return credit > 0 || (credit < 0 && events.creditOf(i) > 0n);
}

/** The first receipt at `outpoint` (of `txid`), in org order, then event order: its node and account. */
function firstReceived(org: readonly NodeBooks[], outpoint: string, txid: string): Receipt {
  for (const { nodeId, books } of org) {
    const events = books.chainEvents;
    for (const i of events.createdInTx(txid)) {
      if (events.outpointOf(i) === outpoint && isReceipt(events, i)) return { nodeId, account: events.accountOf(i) };
    }
  }
  return null;
}

/** A deposit to `external` with a credit: a send once confirmed. */
interface Send {
  readonly index: number;
  readonly outpoint: string;
  readonly txid: string;
  /** Another send (of this node or another) names the same outpoint: only the first confirmed one counts. */
  twinned: boolean;
  /** Where its outpoint was received first; undefined: to be looked up (again). */
  receipt: Receipt | undefined;
}

/** What a finder knows of one node's books. */
interface NodeSends {
  readonly nodeId: string;
  readonly events: ChainEventList;
  /** Chain events looked at. */
  seen: number;
  /** Its deposits to `external` with a credit, in event order. */
  readonly sends: Send[];
}

/** Where an outpoint was received first, null: nowhere. */
type Receipt = { readonly nodeId: string; readonly account: string } | null;

/**
 * `internalTransfers` for a caller that asks again as the books grow (the reconciler, after each
 * fold): the same list, without reading every send's transaction again. A node's chain events
 * only grow, a send is confirmed once, and where an outpoint was received first changes only
 * with a new event created in its transaction or spent into it (a receipt needs none of the
 * node's outputs spent into it): so a finder keeps each node's sends with their outpoint's first
 * receipt, and forgets the receipts of the transactions new events name. Another organization
 * (a node added, other books) is read from the start.
 */
export class InternalTransferFinder {
  /** By the organization's order. */
  private nodes: NodeSends[] = [];
  /** Every send, by the txid of its outpoint. */
  private sendsOfTx = new Map<string, Send[]>();
  /** The first send seen of each outpoint. */
  private sendAt = new Map<string, Send>();

  /** internalTransfers(org, involving), less those at the outpoints in `known` (already listed, say). */
  find(org: readonly NodeBooks[], involving?: ReadonlySet<string>, known?: ReadonlySet<string>): InternalTransfer[] {
    this.catchUp(org);
    const transfers: InternalTransfer[] = [];
    const sendsSeen = new Set<string>();
    for (const { nodeId, events, sends } of this.nodes) {
      const senderInvolved = involving === undefined || involving.has(nodeId);
      for (const send of sends) {
        const i = send.index;
        if (events.blockheightOf(i) === 0) continue;
        const { outpoint, txid } = send;
        if (send.twinned) {
          if (sendsSeen.has(outpoint)) continue;
          sendsSeen.add(outpoint);
        }
        if (known?.has(outpoint)) continue;
        if (send.receipt === undefined) send.receipt = firstReceived(org, outpoint, txid);
        const received = send.receipt;
        if (received === null || (!senderInvolved && !involving!.has(received.nodeId))) continue;
        transfers.push({
          outpoint,
          txid,
          amountMsat: events.creditOf(i),
          currency: events.coinTypeOf(i),
          from: { nodeId, account: events.originAccountOf(i) ?? 'external' },
          to: { nodeId: received.nodeId, account: received.account },
          blockheight: events.blockheightOf(i),
          timestamp: events.timestampOf(i),
        });
      }
    }
    return transfers;
  }

  /** Takes in the events added since the last look (all of them for another organization), forgetting the receipts they may change. */
  private catchUp(org: readonly NodeBooks[]): void {
    const same = org.length === this.nodes.length && org.every(({ nodeId, books }, k) => nodeId === this.nodes[k]!.nodeId && books.chainEvents === this.nodes[k]!.events);
    if (!same) {
      this.nodes = org.map(({ nodeId, books }) => ({ nodeId, events: books.chainEvents, seen: 0, sends: [] }));
      this.sendsOfTx = new Map();
      this.sendAt = new Map();
    }
    for (let k = 0; k < org.length; k++) {
      const node = this.nodes[k]!;
      const events = node.events;
      const externalId = externalAccountId(org[k]!.books);
      for (let i = node.seen; i < events.length; i++) {
        if (this.sendsOfTx.size > 0) {
          this.forgetReceipts(events.outpointTxidOf(i));
          const spent = events.spendingTxidOf(i);
          if (spent !== null) this.forgetReceipts(spent);
        }
        if (events.accountIdOf(i) === externalId && events.tagOf(i) === 'deposit' && hasCredit(events, i)) this.addSend(node, i);
      }
      node.seen = events.length;
    }
  }

  private addSend(node: NodeSends, i: number): void {
    const outpoint = node.events.outpointOf(i);
    const send: Send = { index: i, outpoint, txid: txidOf(outpoint), twinned: false, receipt: undefined };
    node.sends.push(send);
    const twin = this.sendAt.get(outpoint);
    if (twin === undefined) this.sendAt.set(outpoint, send);
    else twin.twinned = send.twinned = true;
    const ofTx = this.sendsOfTx.get(send.txid);
    if (ofTx === undefined) this.sendsOfTx.set(send.txid, [send]);
    else ofTx.push(send);
  }

  private forgetReceipts(txid: string): void {
    const ofTx = this.sendsOfTx.get(txid);
    if (ofTx !== undefined) for (const send of ofTx) send.receipt = undefined;
  }
}
