import { describe, expect, it } from 'vitest';
import type { IncomeRow } from './income.js';
import { withoutInternalTransfers } from './internal-transfers.js';

const row = (fields: Partial<IncomeRow>): IncomeRow => ({
  account: 'wallet', tag: 'deposit', creditMsat: 0n, debitMsat: 0n, currency: 'bc', timestamp: 1, description: null,
  outpoint: null, txid: null, paymentId: null, feesMsat: 0n, ...fields,
});

describe('withoutInternalTransfers', () => {
  it('drops a send whose output another of our accounts received, in either order, and keeps its fee', () => {
    const send = row({ tag: 'withdrawal', debitMsat: 5_000n, outpoint: 'aa:0' });
    const arrival = row({ tag: 'deposit', creditMsat: 5_000n, outpoint: 'aa:0' });
    const fee = row({ tag: 'onchain_fee', debitMsat: 200n, txid: 'aa' });
    const income = row({ tag: 'deposit', creditMsat: 9n, outpoint: 'bb:1' });
    expect(withoutInternalTransfers([send, fee, arrival, income])).toEqual([fee, income]);
    expect(withoutInternalTransfers([arrival, income, send, fee])).toEqual([income, fee]);
  });

  it('keeps a send to someone else', () => {
    const send = row({ tag: 'withdrawal', debitMsat: 5_000n, outpoint: 'aa:0' });
    expect(withoutInternalTransfers([send])).toEqual([send]);
  });
});
