/** One row of `bkpr-listbalances`' per-account balance list. */
export interface CoinBalance {
  readonly coinType: string;
  readonly balanceMsat: bigint;
}

export interface BalanceProblem {
  readonly code: 'negative_balance';
  readonly account: string;
  readonly coinType: string;
  readonly balanceMsat: bigint;
}

/**
 * An account's balance per coin type is what came in minus what went out. A negative
 * result is not possible for real coins: it is reported as a problem (CLN's bookkeeper
 * would stop), and the balance is still returned so the operator can see it.
 */
export function balanceOf(account: string, coinType: string, creditMsatTotal: bigint, debitMsatTotal: bigint): {
  balance: CoinBalance;
  problem: BalanceProblem | null;
} {
  const balanceMsat = creditMsatTotal - debitMsatTotal;
  return {
    balance: { coinType, balanceMsat },
    problem: balanceMsat < 0n ? { code: 'negative_balance', account, coinType, balanceMsat } : null,
  };
}
