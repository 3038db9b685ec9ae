import type { JsonValue } from './json.js';
import { sideOf, type NodeCounts, type NodeFlows, type World } from './model.js';
import type { NotificationKind } from './records.js';

/**
 * The figures a correct bookkeeper must arrive at for a generated history, computed by the
 * simulator from its own model (coins and channel balances it moved), not from the
 * notifications it sent. All amounts are msat.
 *
 * Assumptions, so that every figure has one meaning:
 * - Exact re-sends (`duplicate: true` items) are dropped, as our spec says (CLN would count a
 *   replayed `channel_mvt` twice).
 * - Figures hold once every notification was processed, in any order: balances are sums, so
 *   reordering does not change them (snapshots are never reordered, see stream.ts).
 * - `external` is not an account of ours: it has no balance row, as in `bkpr-listbalances`.
 */
export interface ExpectedBalance {
  readonly nodeId: string;
  /** `wallet`, a channel id, or a 3rd-party wallet's name. */
  readonly account: string;
  readonly accountKind: 'wallet' | 'channel' | 'third_party';
  readonly coinType: string;
  /**
   * Σ credit − Σ debit over the account's chain and channel events, **including** chain events
   * tagged `ignored` (our anchors of unilateral closes, booked on `wallet`). This is what CLN's
   * `bkpr-listbalances` shows.
   */
  readonly balanceMsat: bigint;
  /**
   * The same without `ignored` chain events: what a `balance_snapshot` is compared with, and
   * what our spec's wording ("ignoring chain events marked ignored") gives. Differs from
   * `balanceMsat` only on `wallet`, by the anchors.
   */
  readonly balanceExcludingIgnoredMsat: bigint;
  /** Channels only. */
  readonly peerId?: string;
  readonly weOpened?: boolean;
  readonly closed?: boolean;
}

/**
 * Per node, where its money came from and went to. Channel figures are exactly the
 * channel-derived rows of CLN's `bkpr-listincome` summed by tag:
 * - `invoiceIncomeMsat`: credits of `invoice` events that are not half of a rebalance (paid to
 *   us, including by another node of the organization);
 * - `invoiceExpenseMsat`: debit − fees of `invoice` debits that are not half of a rebalance
 *   (CLN's `invoice` expense row); `invoiceFeesMsat`: their fees (`invoice_fee` rows);
 * - `routingFeesEarnedMsat`: fees of forwarded payments (one `routed` income row per forward);
 * - `rebalanceFeesMsat`: fees of our circular rebalances (`rebalance_fee` rows);
 * - `pushedInMsat`/`pushedOutMsat`, `leaseFeesEarnedMsat`/`leaseFeesPaidMsat`: `pushed` and
 *   `lease_fee` events at channel open.
 * On-chain figures (what the simulator moved; CLN's per-transaction fee rules are not applied):
 * - `depositsFromOutsideMsat`: coins that arrived from outside the organization (wallet and
 *   3rd-party wallets);
 * - `sendsToOutsideMsat`: coins sent to addresses outside the organization;
 * - `transfersInMsat`/`transfersOutMsat`: coins moved on chain between two accounts of the
 *   organization (a 3rd-party wallet and a wallet, two nodes' wallets, …); the sender reports
 *   the destination as `external`, the receiver as a deposit;
 * - `onchainFeesMsat`: everything our accounts lost to miners: the fee share of every tx we
 *   funded (opens, sends, transfers, sweeps), the closing/commitment fee when we opened the
 *   channel, and the sub-satoshi remainder and dust of our side at a close;
 * - `anchorsPaidMsat`: the peer's anchor output, paid from our balance when we opened an
 *   anchor channel that closed unilaterally; `anchorsReceivedMsat`: our anchor output when
 *   the peer opened it.
 *
 * Conservation (checked by the tests): Σ `balanceMsat` over the node's accounts =
 * deposits + transfers in + invoice income + routing fees + pushed in + lease fees earned +
 * anchors received − sends − transfers out − invoice expense − invoice fees − rebalance fees −
 * pushed out − lease fees paid − on-chain fees − anchors paid.
 */
export interface ExpectedNodeTotals extends NodeFlows {
  readonly nodeId: string;
  readonly label: string;
  readonly format: string;
  /** Σ `balanceMsat` over the node's accounts. */
  readonly balanceTotalMsat: bigint;
  readonly counts: NodeCounts;
}

export interface ExpectedOrgTotals extends NodeFlows {
  /** Σ over nodes. Payments and transfers between two nodes appear on both (income and expense, in and out). */
  readonly balanceTotalMsat: bigint;
  /** Invoices one node of the organization paid to another (inside `invoiceIncomeMsat` and `invoiceExpenseMsat`). */
  readonly internalInvoicesMsat: bigint;
}

export interface NotificationCounts {
  /** Notifications the nodes sent (without re-sends). */
  readonly base: number;
  /** Exact re-sends inserted by `duplicationRate`. */
  readonly duplicates: number;
  readonly total: number;
  readonly byKind: Readonly<Record<NotificationKind, number>>;
}

export interface ExpectedResults {
  readonly version: 1;
  readonly seed: number | string;
  readonly coinType: string;
  readonly notifications: NotificationCounts;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  /** Chain tip when the history ends (e.g. for `bkpr-channelsapy`). */
  readonly tipBlockheight: number;
  /** Every account of every node except `external`: wallet, 3rd-party wallets, then channels. */
  readonly balances: readonly ExpectedBalance[];
  readonly nodes: readonly ExpectedNodeTotals[];
  readonly org: ExpectedOrgTotals;
}

/** What comes into a node's accounts, then what goes out of them. */
const INFLOW_KEYS = [
  'depositsFromOutsideMsat',
  'transfersInMsat',
  'invoiceIncomeMsat',
  'routingFeesEarnedMsat',
  'pushedInMsat',
  'leaseFeesEarnedMsat',
  'anchorsReceivedMsat',
] as const satisfies readonly (keyof NodeFlows)[];

const OUTFLOW_KEYS = [
  'sendsToOutsideMsat',
  'transfersOutMsat',
  'invoiceExpenseMsat',
  'invoiceFeesMsat',
  'rebalanceFeesMsat',
  'pushedOutMsat',
  'leaseFeesPaidMsat',
  'onchainFeesMsat',
  'anchorsPaidMsat',
] as const satisfies readonly (keyof NodeFlows)[];

const FLOW_KEYS = [...INFLOW_KEYS, ...OUTFLOW_KEYS];

/** Inflows − outflows: what the node's balances must add up to. */
export function netFlowMsat(flows: NodeFlows): bigint {
  let net = 0n;
  for (const key of INFLOW_KEYS) net += flows[key];
  for (const key of OUTFLOW_KEYS) net -= flows[key];
  return net;
}

export interface ExpectedMeta {
  readonly seed: number | string;
  readonly notifications: NotificationCounts;
  readonly firstTimestamp: number;
  readonly lastTimestamp: number;
  readonly internalInvoicesMsat: bigint;
}

/** Reads the expected figures off the model; call once every scheduled notification was sent. */
export function computeExpected(world: World, meta: ExpectedMeta): ExpectedResults {
  if (world.pendingBatches > 0) throw new Error('computeExpected: notifications are still pending');
  const coinType = world.config.coinType;
  const balances: ExpectedBalance[] = [];
  const nodes: ExpectedNodeTotals[] = [];
  const org: Record<keyof NodeFlows, bigint> = Object.fromEntries(FLOW_KEYS.map((k) => [k, 0n])) as Record<keyof NodeFlows, bigint>;
  let orgBalance = 0n;
  for (const node of world.nodes) {
    const rows: ExpectedBalance[] = [];
    if (node.walletSeen) {
      const coins = node.wallet.totalMsat();
      rows.push({
        nodeId: node.id,
        account: 'wallet',
        accountKind: 'wallet',
        coinType,
        balanceMsat: coins + node.walletAnchorsMsat,
        balanceExcludingIgnoredMsat: coins,
      });
    }
    for (const tpw of node.thirdPartyWallets) {
      if (!tpw.seen) continue;
      const coins = tpw.coins.totalMsat();
      rows.push({ nodeId: node.id, account: tpw.name, accountKind: 'third_party', coinType, balanceMsat: coins, balanceExcludingIgnoredMsat: coins });
    }
    const channelRows: ExpectedBalance[] = [];
    for (const channel of node.channels) {
      const side = sideOf(channel, node);
      const peer = channel.sides[side === 0 ? 1 : 0];
      const balanceMsat = channel.balances[side];
      channelRows.push({
        nodeId: node.id,
        account: channel.id,
        accountKind: 'channel',
        coinType,
        balanceMsat,
        balanceExcludingIgnoredMsat: balanceMsat,
        peerId: peer.kind === 'org' ? peer.node.id : peer.peerId,
        weOpened: side === 0,
        closed: false,
      });
    }
    for (const id of node.closedChannelIds) {
      channelRows.push({ nodeId: node.id, account: id, accountKind: 'channel', coinType, balanceMsat: 0n, balanceExcludingIgnoredMsat: 0n, closed: true });
    }
    channelRows.sort((a, b) => (a.account < b.account ? -1 : a.account > b.account ? 1 : 0));
    rows.push(...channelRows);
    let total = 0n;
    for (const row of rows) total += row.balanceMsat;
    balances.push(...rows);
    for (const key of FLOW_KEYS) org[key] += node.flows[key];
    orgBalance += total;
    nodes.push({ nodeId: node.id, label: node.label, format: node.format.name, ...node.flows, balanceTotalMsat: total, counts: { ...node.counts } });
  }
  return {
    version: 1,
    seed: meta.seed,
    coinType,
    notifications: meta.notifications,
    firstTimestamp: meta.firstTimestamp,
    lastTimestamp: meta.lastTimestamp,
    tipBlockheight: world.heightAt(meta.lastTimestamp),
    balances,
    nodes,
    org: { ...org, balanceTotalMsat: orgBalance, internalInvoicesMsat: meta.internalInvoicesMsat },
  };
}

/** The expected results as JSON: msat amounts (keys ending in `Msat`) as decimal strings. */
export function expectedToJson(expected: ExpectedResults): JsonValue {
  return toJson(expected);
}

/** Reads `expectedToJson`'s output back (amounts as bigint again). */
export function expectedFromJson(json: unknown): ExpectedResults {
  return fromJson(json) as ExpectedResults;
}

function toJson(value: unknown): JsonValue {
  if (typeof value === 'bigint') return value.toString(10);
  if (value === null || typeof value !== 'object') return value as JsonValue;
  if (Array.isArray(value)) return value.map(toJson);
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toJson(v);
  return out;
}

function fromJson(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && key.endsWith('Msat')) return BigInt(value);
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => fromJson(v));
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJson(v, k)]));
}
