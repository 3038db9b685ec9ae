import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FeeRowList } from './fee-rows.js';
import { HexIds } from './hex-ids.js';
import type { Account, FeeRow } from './state.js';
import { compareTxidsAsStored } from './txid.js';

const hexId = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
// A few txids, so rows share them; some not hex (kept as text by the table).
const txid = fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...['a', 'b', 'c', '0f'].map((c) => c.repeat(64).slice(0, 64))) }, hexId, fc.constantFrom('A'.repeat(64), 'ab', ''));
const amount = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 32n }), fc.bigInt({ min: 0n, max: 2n ** 70n }), fc.constant(0xffff_ffffn));
const accounts: Account[] = ['wallet', 'external', 'chan-1', 'chan-2'].map((name, id) => ({
  id, name, peerId: null, weOpened: false, leased: false, openEventIndex: -1, closedEventIndex: -1, openEvent: null, closedEvent: null, closeOutputCount: 0, resolvedBlock: 0, penaltyRecorded: false,
}));
const row = fc.record({
  accountId: fc.integer({ min: 0, max: accounts.length - 1 }),
  txid,
  creditMsat: amount,
  debitMsat: amount,
  timestamp: fc.oneof(fc.integer({ min: 0, max: 2 ** 32 }), fc.constant(-1)),
  coinType: fc.constantFrom('bcrt', 'btc', 'tb'),
  updateCount: fc.oneof(fc.integer({ min: 1, max: 300 }), fc.integer({ min: 0, max: 2 ** 32 - 1 })),
});

describe('FeeRowList', () => {
  it('gives back every row exactly, and finds the rows of a txid, of an account, and the fee of (account, txid) as a list of objects would', () => {
    fc.assert(
      fc.property(fc.array(row, { maxLength: 80 }), (given) => {
        const list = new FeeRowList(accounts, new HexIds());
        const kept: FeeRow[] = given.map((r, i) => {
          const order = 3 * i + 1;
          expect(list.push(order, r)).toBe(i);
          return { account: accounts[r.accountId]!.name, ...r, kind: 'fee', order };
        });
        expect(list.length).toBe(kept.length);
        expect([...list]).toEqual(kept);
        expect(list.slice(2, 5)).toEqual(kept.slice(2, 5));
        for (const [i, r] of kept.entries()) {
          expect([list.timestampOf(i), list.accountOf(i), list.txidOf(i), list.netOf(i)]).toEqual([r.timestamp, r.account, r.txid, r.creditMsat - r.debitMsat]);
        }
        for (const id of new Set(kept.map((r) => r.txid))) {
          expect(list.ofTx(id)).toEqual(kept.flatMap((r, i) => (r.txid === id ? [i] : [])));
          for (const account of accounts) {
            const own = kept.filter((r) => r.txid === id && r.accountId === account.id);
            expect(list.feeOf(account.id, id)).toEqual({ paidMsat: own.reduce((s, r) => s + r.creditMsat - r.debitMsat, 0n), lastUpdate: Math.max(0, ...own.map((r) => r.updateCount)) });
          }
        }
        for (const account of accounts) expect(list.ofAccountId(account.id)).toEqual(kept.flatMap((r, i) => (r.accountId === account.id ? [i] : [])));
        expect(list.feeOf(0, 'f'.repeat(64))).toEqual({ paidMsat: 0n, lastUpdate: 0 });
        for (let i = 0; i < kept.length; i++) {
          for (let j = 0; j < kept.length; j++) expect(Math.sign(list.compareTxidsAsStored(i, j))).toBe(Math.sign(compareTxidsAsStored(kept[i]!.txid, kept[j]!.txid)));
        }
        const late = list.where((i) => list.timestampOf(i) > 1000);
        expect(Array.from({ length: late.length }, (_, k) => late.at(k))).toEqual(kept.filter((r) => r.timestamp > 1000));
      }),
    );
  });
});
