import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChannelEventList, type ChannelEventFields } from './channel-events.js';

const accounts = [{ name: 'wallet' }, { name: 'chan-a' }, { name: 'chan-b' }];

const fields = (f: Partial<ChannelEventFields> = {}): ChannelEventFields => ({
  accountId: 1, tag: 'invoice', extraTags: [], creditMsat: 0n, debitMsat: 0n, feesMsat: 0n, paymentId: null, partId: null,
  timestamp: 1_000, coinType: 'bcrt', description: null, derived: false, ...f,
});

/** What `at(i)` must give back of what was pushed. */
const expected = (f: ChannelEventFields, index: number, order: number) => {
  const { accountId, derived, ...rest } = f;
  return { ...rest, kind: 'channel', index, order, account: accounts[accountId]!.name, accountId, rebalancePartner: null, derived };
};

const U64_MAX = (1n << 64n) - 1n;
const amount = fc.oneof(fc.constantFrom(0n, 1n, (1n << 63n) - 1n, 1n << 63n, U64_MAX - 1n, U64_MAX, U64_MAX + 1n, -1n), fc.bigInt({ min: -(1n << 70n), max: 1n << 70n }));
const paymentId = fc.oneof(
  fc.constant(null),
  fc.constantFrom('a'.repeat(64), 'A'.repeat(64), `${'0'.repeat(63)}1`, 'f'.repeat(63), 'g'.repeat(64), '', 'not hex'),
  fc.string({ unit: fc.constantFrom(...'0123456789abcdef'), minLength: 64, maxLength: 64 }),
  fc.string(),
);
const eventFields = fc.record({
  accountId: fc.integer({ min: 0, max: 2 }),
  tag: fc.constantFrom('invoice', 'routed', 'pushed', 'journal_entry', ''),
  extraTags: fc.oneof(fc.constant([]), fc.array(fc.constantFrom('', 'a', 'b', 'a\u0000', '\u0000b', 'a\u0000b', 'splice'), { maxLength: 3 })),
  creditMsat: amount,
  debitMsat: amount,
  feesMsat: amount,
  paymentId,
  partId: fc.oneof(fc.constant(null), fc.constantFrom(0n, 1n, 0xffff_fffdn, 0xffff_fffen, 0xffff_ffffn, -1n), fc.bigInt({ min: -(1n << 65n), max: 1n << 65n })),
  timestamp: fc.oneof(fc.integer(), fc.constantFrom(0, -0, 0.5, 2 ** 32 - 2, 2 ** 32 - 1, 2 ** 32, 2 ** 40, Number.MAX_SAFE_INTEGER)),
  coinType: fc.constantFrom('bcrt', 'btc', ''),
  description: fc.oneof(fc.constant(null), fc.string()),
  derived: fc.boolean(),
});

describe('ChannelEventList (events kept as columns)', () => {
  it('gives back every field exactly as pushed: amounts beyond 64 bits, odd part ids, payment ids that are not 64 hex', () => {
    fc.assert(
      fc.property(fc.array(eventFields, { maxLength: 40 }), (events) => {
        const list = new ChannelEventList(accounts);
        events.forEach((f, i) => expect(list.push(10 + 2 * i, f)).toBe(i));
        expect(list.length).toBe(events.length);
        events.forEach((f, i) => expect(list.at(i)).toEqual(expected(f, i, 10 + 2 * i)));
        expect([...list].map((e) => e.index)).toEqual(events.map((_, i) => i));
      }),
    );
  });

  it('gives back any order as pushed: steps of 1 or more, orders going back, big, fractional, -0', () => {
    const order = fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(-0, 0.5, -1, 2 ** 53, 2 ** 53 - 1), fc.double());
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer({ min: 1, max: 3 }), order), { minLength: 1, maxLength: 200 }), (steps) => {
        // Mostly increasing orders (as the books push them), with any other order mixed in.
        const orders = steps.map((s, i) => (Number.isInteger(s) && s >= 1 && s <= 3 && i % 7 !== 6 ? 1_000 + 3 * i + s : s));
        const list = new ChannelEventList(accounts);
        orders.forEach((o) => list.push(o, fields()));
        orders.forEach((o, i) => expect(Object.is(list.orderOf(i), o) || (Number.isNaN(o) && Number.isNaN(list.orderOf(i)))).toBe(true));
      }),
    );
  });

  it('gives back the orders of many events (the columns grown many times)', () => {
    const list = new ChannelEventList(accounts);
    for (let i = 0; i < 70_000; i++) list.push(3 * i + (i % 5 === 0 ? 1 : 0) + (i % 9_999 === 0 ? 1_000 : 0), fields());
    const wrong = Array.from({ length: list.length }, (_, i) => i).filter((i) => list.orderOf(i) !== 3 * i + (i % 5 === 0 ? 1 : 0) + (i % 9_999 === 0 ? 1_000 : 0));
    expect(wrong).toEqual([]);
  });

  it('keeps rebalance pairs as paired, however many a payment has, across payments, paired again', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(null, 'a'.repeat(64), 'b'.repeat(64), 'c'), { minLength: 1, maxLength: 30 }),
        fc.array(fc.tuple(fc.nat(), fc.nat(), fc.boolean()), { maxLength: 12 }),
        (paymentIds, pairs) => {
          const list = new ChannelEventList(accounts);
          paymentIds.forEach((paymentId, i) => list.push(i, fields({ paymentId })));
          const partners = new Map<number, number>();
          for (const [x, y, samePayment] of pairs) {
            const a = x % paymentIds.length;
            // Mostly as the books pair them: two events of one payment.
            const candidates = paymentIds.flatMap((p, i) => (samePayment && p === paymentIds[a] && i !== a ? [i] : []));
            const b = candidates.length > 0 ? candidates[y % candidates.length]! : y % paymentIds.length;
            list.pairAsRebalance(a, b);
            partners.set(a, b);
            partners.set(b, a);
          }
          paymentIds.forEach((_, i) => {
            expect(list.rebalancePartnerOf(i)).toBe(partners.get(i) ?? null);
            expect(list.isRebalance(i)).toBe(partners.has(i));
          });
        },
      ),
    );
  });

  it('finds the events of a payment by its exact id, in insertion order', () => {
    fc.assert(
      fc.property(fc.array(eventFields, { maxLength: 40 }), (events) => {
        const list = new ChannelEventList(accounts);
        events.forEach((f, i) => list.push(i, f));
        for (const id of new Set(events.map((f) => f.paymentId))) {
          if (id === null) continue;
          expect(list.ofPayment(id)).toEqual(events.flatMap((f, i) => (f.paymentId === id ? [i] : [])));
        }
        expect(list.ofPayment('b'.repeat(64))).toEqual(events.flatMap((f, i) => (f.paymentId === 'b'.repeat(64) ? [i] : [])));
      }),
    );
  });

  it('lists events by timestamp, then insertion order', () => {
    const list = new ChannelEventList(accounts);
    for (const t of [5, 3, 5, 1, 3]) list.push(0, fields({ timestamp: t }));
    expect(list.indicesByTime()).toEqual([3, 1, 4, 0, 2]);
  });

  it('keeps descriptions set later and rebalance pairs', () => {
    const list = new ChannelEventList(accounts);
    for (let i = 0; i < 3; i++) list.push(i, fields({ description: i === 0 ? 'first' : null }));
    list.setDescription(2, 'edited');
    list.pairAsRebalance(0, 2);
    expect([0, 1, 2].map((i) => [list.descriptionOf(i), list.rebalancePartnerOf(i)])).toEqual([['first', 2], [null, null], ['edited', 0]]);
  });
});
