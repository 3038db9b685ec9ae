import type { IncomeRow } from './income.js';

/**
 * Organization-wide, a coin that leaves one of our accounts and arrives in another is no
 * income and no withdrawal: a send to `external` (a `withdrawal` row at outpoint O) whose
 * output O shows up as a `deposit` of an account we track — another node's wallet, or a
 * 3rd-party wallet — is an internal transfer. Both rows go; the fee rows stay, as the only
 * expense. Rows are matched by outpoint, so the order the two sides arrived in does not matter.
 */
export function withoutInternalTransfers<R extends IncomeRow>(rows: readonly R[]): R[] {
  const sent = new Set<string>();
  const received = new Set<string>();
  for (const r of rows) {
    if (r.outpoint === null) continue;
    if (r.tag === 'withdrawal' && r.debitMsat > 0n) sent.add(r.outpoint);
    else if (r.tag === 'deposit' && r.creditMsat > 0n) received.add(r.outpoint);
  }
  const internal = new Set([...sent].filter((o) => received.has(o)));
  if (internal.size === 0) return [...rows];
  return rows.filter((r) => r.outpoint === null || !internal.has(r.outpoint) || (r.tag !== 'withdrawal' && r.tag !== 'deposit'));
}
