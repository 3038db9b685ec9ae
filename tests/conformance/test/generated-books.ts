import { parseNotification, type Movement } from '@bkpr/contracts';
import { factFromMovement, incomeStatement, listBalances, normalizeNotification, type Books, type Fact, type IncomeRow } from '@bkpr/domain';
import type { ExpectedNodeTotals, WorkloadItem } from '@bkpr/workload';

/**
 * A generated organization's notifications as the gateway stores them: parsed, normalized,
 * exact re-sends (same movement id) dropped, grouped by node in arrival order.
 */
export function movementsByNode(items: readonly WorkloadItem[]): Map<string, Movement[]> {
  const byNode = new Map<string, Movement[]>();
  const seen = new Set<string>();
  for (const item of items) {
    const parsed = parseNotification(item.body);
    if (!parsed.ok) throw new Error(`generated notification ${item.seq} invalid: ${JSON.stringify(parsed.issues)}`);
    const normalized = normalizeNotification(parsed.notification, { nodeId: item.nodeId });
    if (!normalized.ok) throw new Error(`generated notification ${item.seq}: ${normalized.message}`);
    for (const m of normalized.movements) {
      if (seen.has(m.id)) continue;
      seen.add(m.id);
      const movements = byNode.get(m.nodeId) ?? [];
      movements.push(m);
      byNode.set(m.nodeId, movements);
    }
  }
  return byNode;
}

/** The facts of one node's movements, `seq` in the order given. */
export function factsOf(movements: readonly Movement[]): Fact[] {
  return movements.map((m, i) => factFromMovement(m, BigInt(i + 1)));
}

/** `node|account|coin_type` → balance (listbalances, `ignored` events included). */
export function balancesOf(nodeId: string, books: Books): Map<string, bigint> {
  const balances = new Map<string, bigint>();
  for (const account of listBalances(books).accounts) {
    for (const b of account['balances'] as { balance_msat: bigint; coin_type: string }[]) {
      balances.set(`${nodeId}|${String(account['account'])}|${b.coin_type}`, b.balance_msat);
    }
  }
  return balances;
}

export const ALL_TIME = { startTime: 0, endTime: Number.MAX_SAFE_INTEGER } as const;

/** The consolidated income statement of `books`, all time. */
export function consolidatedIncome(books: Books): IncomeRow[] {
  return incomeStatement(books, { consolidateFees: true, ...ALL_TIME });
}

/** The channel figures of `ExpectedNodeTotals`, which are CLN's channel income rows summed by tag. */
export type ChannelIncomeFigures = Pick<
  ExpectedNodeTotals,
  | 'invoiceIncomeMsat'
  | 'invoiceExpenseMsat'
  | 'invoiceFeesMsat'
  | 'routingFeesEarnedMsat'
  | 'rebalanceFeesMsat'
  | 'pushedInMsat'
  | 'pushedOutMsat'
  | 'leaseFeesEarnedMsat'
  | 'leaseFeesPaidMsat'
>;

export function channelIncomeFigures(source: ChannelIncomeFigures): ChannelIncomeFigures {
  return {
    invoiceIncomeMsat: source.invoiceIncomeMsat,
    invoiceExpenseMsat: source.invoiceExpenseMsat,
    invoiceFeesMsat: source.invoiceFeesMsat,
    routingFeesEarnedMsat: source.routingFeesEarnedMsat,
    rebalanceFeesMsat: source.rebalanceFeesMsat,
    pushedInMsat: source.pushedInMsat,
    pushedOutMsat: source.pushedOutMsat,
    leaseFeesEarnedMsat: source.leaseFeesEarnedMsat,
    leaseFeesPaidMsat: source.leaseFeesPaidMsat,
  };
}

/** Our income rows summed the way the simulator sums its channel figures. */
export function channelIncomeOf(rows: readonly IncomeRow[]): ChannelIncomeFigures {
  const f = channelIncomeFigures({
    invoiceIncomeMsat: 0n,
    invoiceExpenseMsat: 0n,
    invoiceFeesMsat: 0n,
    routingFeesEarnedMsat: 0n,
    rebalanceFeesMsat: 0n,
    pushedInMsat: 0n,
    pushedOutMsat: 0n,
    leaseFeesEarnedMsat: 0n,
    leaseFeesPaidMsat: 0n,
  });
  for (const r of rows) {
    if (r.tag === 'invoice') {
      f.invoiceIncomeMsat += r.creditMsat;
      f.invoiceExpenseMsat += r.debitMsat;
    } else if (r.tag === 'invoice_fee') f.invoiceFeesMsat += r.debitMsat;
    else if (r.tag === 'routed') f.routingFeesEarnedMsat += r.creditMsat;
    else if (r.tag === 'rebalance_fee') f.rebalanceFeesMsat += r.debitMsat;
    else if (r.tag === 'pushed') {
      f.pushedInMsat += r.creditMsat;
      f.pushedOutMsat += r.debitMsat;
    } else if (r.tag === 'lease_fee') {
      f.leaseFeesEarnedMsat += r.creditMsat;
      f.leaseFeesPaidMsat += r.debitMsat;
    }
  }
  return f;
}
