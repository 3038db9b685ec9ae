import { describe, expect, it } from 'vitest';
import { balanceOf } from './balances.js';

describe('balanceOf', () => {
  it('is credits minus debits, exact beyond 2^53', () => {
    const { balance, problem } = balanceOf('wallet', 'bc', 18_446_744_073_709_551_615n, 1n);
    expect(balance.balanceMsat).toBe(18_446_744_073_709_551_614n);
    expect(problem).toBeNull();
  });

  it('reports a negative balance as a problem instead of failing', () => {
    const { balance, problem } = balanceOf('wallet', 'bc', 5n, 7n);
    expect(balance.balanceMsat).toBe(-2n);
    expect(problem).toEqual({ code: 'negative_balance', account: 'wallet', coinType: 'bc', balanceMsat: -2n });
  });
});
