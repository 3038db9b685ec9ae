import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChainEventList, type ChainEventFields } from './chain-events.js';
import { txidOf } from './txid.js';

const accounts = [{ name: 'wallet' }, { name: 'external' }, { name: 'chan-a' }];
const U64_MAX = (1n << 64n) - 1n;

const hex64 = fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 });
const txid = fc.oneof(fc.constantFrom('a'.repeat(64), 'b'.repeat(64)), hex64, fc.constantFrom('A'.repeat(64), 'a'.repeat(63), ''));
const outpoint = fc.oneof(
  fc.tuple(txid, fc.oneof(fc.nat(3), fc.constantFrom(2 ** 32 - 1, 2 ** 32, 99_999_999_999))).map(([t, v]) => `${t}:${v}`),
  fc.constantFrom('', `${'a'.repeat(64)}:01`, `${'a'.repeat(64)}:`, `${'a'.repeat(64)}:1:2`, `${'a'.repeat(64)}`, 'x:y'),
  fc.string(),
);
const amount = fc.oneof(fc.constantFrom(0n, 1n, U64_MAX - 1n, U64_MAX, U64_MAX + 1n, -5n), fc.bigInt({ min: 0n, max: U64_MAX }));
const eventFields: fc.Arbitrary<ChainEventFields> = fc.record({
  accountId: fc.integer({ min: 0, max: 2 }),
  tag: fc.constantFrom('deposit', 'withdrawal', 'channel_open', 'to_wallet'),
  extraTags: fc.oneof(fc.constant([]), fc.array(fc.constantFrom('opener', 'stealable', ''), { maxLength: 2 })),
  creditMsat: amount,
  debitMsat: amount,
  outputMsat: amount,
  paymentId: fc.oneof(fc.constant(null), txid, fc.string()),
  timestamp: fc.oneof(fc.integer(), fc.constantFrom(-0, 1.5, 2 ** 32 - 1, Number.MAX_SAFE_INTEGER)),
  coinType: fc.constantFrom('bcrt', 'btc'),
  outpoint,
  spendingTxid: fc.oneof(fc.constant(null), txid),
  blockheight: fc.oneof(fc.nat(), fc.constantFrom(-1, -0, 2 ** 32 - 1, 2 ** 32)),
  originAccount: fc.oneof(fc.constant(null), fc.constantFrom('wallet', 'chan-a', 'other')),
  source: fc.constantFrom('coin_movement' as const, 'utxo' as const),
  description: fc.oneof(fc.constant(null), fc.string()),
});

const indicesWhere = (events: ChainEventFields[], keep: (e: ChainEventFields) => boolean) => events.flatMap((e, i) => (keep(e) ? [i] : []));

describe('ChainEventList (events kept as columns)', () => {
  it('gives back every field exactly as pushed, whatever the outpoint or txid looks like', () => {
    fc.assert(
      fc.property(fc.array(eventFields, { maxLength: 30 }), (events) => {
        const list = new ChainEventList(accounts);
        events.forEach((f, i) => expect(list.push(100 + i, f)).toBe(i));
        events.forEach((f, i) => {
          const { accountId, ...rest } = f;
          expect(list.at(i)).toEqual({ ...rest, kind: 'chain', index: i, order: 100 + i, account: accounts[accountId]!.name, accountId });
        });
      }),
    );
  });

  it('finds events by the txid that created them, the txid they spend into and their account, in insertion order', () => {
    fc.assert(
      fc.property(fc.array(eventFields, { maxLength: 30 }), txid, (events, other) => {
        const list = new ChainEventList(accounts);
        events.forEach((f, i) => list.push(i, f));
        for (const t of [...events.map((e) => txidOf(e.outpoint)), ...events.map((e) => e.spendingTxid ?? ''), other]) {
          expect(list.createdInTx(t)).toEqual(indicesWhere(events, (e) => txidOf(e.outpoint) === t));
          expect(list.spendingIntoTx(t)).toEqual(indicesWhere(events, (e) => e.spendingTxid === t));
        }
        for (const a of [0, 1, 2, 7]) {
          const ofAccount = indicesWhere(events, (e) => e.accountId === a);
          expect([list.ofAccountId(a), list.hasEventsOfAccount(a)]).toEqual([ofAccount, ofAccount.length > 0]);
        }
      }),
    );
  });

  it('keeps a confirmation and a description set later', () => {
    const list = new ChainEventList(accounts);
    const base = eventFields.filter(() => true);
    const [first] = fc.sample(base, { numRuns: 1, seed: 1 });
    list.push(0, { ...first!, blockheight: 0, description: null });
    list.confirmBlockheight(0, 2 ** 32);
    list.confirmBlockheight(0, 812);
    list.setDescription(0, 'sent');
    expect([list.at(0).blockheight, list.at(0).description, list.blockheightOf(0)]).toEqual([812, 'sent', 812]);
  });
});
