import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { coinMovementSchema, fastCoinMovement, movementToWire, parseNotification } from '@bkpr/contracts';
import { normalizeAndEncode, normalizeNotification } from '@bkpr/domain';

// The gateway validates coin_movement without zod when it can (fastCoinMovement) and falls back
// to zod otherwise: the two must agree on what is valid and on what it becomes.
const RUNS = 10_000;
const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${seed} (FC_SEED=${seed} replays it)`);

const hexChars = (bytes: number) =>
  fc.uint8Array({ minLength: bytes, maxLength: bytes }).chain((a) => fc.constantFrom(Buffer.from(a).toString('hex'), Buffer.from(a).toString('hex').toUpperCase()));
const txid = hexChars(32);
const nodeId = fc.tuple(fc.constantFrom('02', '03'), hexChars(32)).map(([p, h]) => p + h);
const msat = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const msatJson = msat.chain((v) =>
  fc.constantFrom<unknown>(
    ...(v <= BigInt(Number.MAX_SAFE_INTEGER) ? [Number(v)] : []),
    `${v}msat`,
    `${v}`,
    ...(v % 1000n === 0n && v / 1000n < 10n ** 17n ? [`${v / 1000n}sat`] : []),
    ...(v < 10n ** 20n ? [`${v / 100_000_000_000n}.${(v % 100_000_000_000n).toString().padStart(11, '0')}btc`] : []),
  ),
);
const u64Json = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).chain((v) => fc.constantFrom<unknown>(...(v <= BigInt(Number.MAX_SAFE_INTEGER) ? [Number(v)] : []), v.toString()));
const tag = fc.oneof(fc.constantFrom('deposit', 'withdrawal', 'invoice', 'routed', 'channel_open', 'pushed', 'anchor', 'to_them'), fc.stringMatching(/^[a-z][a-z0-9_]{0,39}$/));
const account = fc.oneof(fc.constantFrom('wallet', 'external'), txid, fc.string({ minLength: 1, maxLength: 200 }));
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
const nullish = <T>(arb: fc.Arbitrary<T>) => fc.oneof(arb, fc.constant(null), fc.constant(undefined));

/** A coin_movement that is valid in either format, with every optional field sometimes there. */
const coinMovement = fc
  .record({
    version: fc.constantFrom(2, 3),
    node_id: nodeId,
    type: fc.constantFrom('chain_mvt', 'channel_mvt'),
    created_index: optional(u64Json),
    account_id: account,
    originating_account: nullish(account),
    peer_id: nullish(nodeId),
    tags: optional(fc.array(tag, { maxLength: 3 })),
    primary_tag: optional(tag),
    extra_tags: optional(fc.array(tag, { maxLength: 3 })),
    utxo: optional(fc.tuple(txid, fc.nat({ max: 2 ** 32 - 1 })).map(([t, v]) => `${t}:${v}`)),
    utxo_txid: optional(txid),
    vout: optional(fc.nat({ max: 2 ** 32 - 1 })),
    spending_txid: nullish(txid),
    txid: nullish(txid),
    payment_hash: nullish(txid),
    part_id: nullish(u64Json),
    group_id: nullish(u64Json),
    credit_msat: msatJson,
    debit_msat: msatJson,
    output_msat: optional(msatJson),
    output_count: nullish(fc.nat({ max: 2 ** 32 - 1 })),
    fees_msat: optional(msatJson),
    blockheight: nullish(fc.nat({ max: 2 ** 32 - 1 })),
    timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
    coin_type: fc.constantFrom('bc', 'tb', 'bcrt'),
  })
  // As JSON would carry it: no keys with undefined values.
  .map((m) => JSON.parse(JSON.stringify(m)) as Record<string, unknown>);

/** balance_snapshot, utxo_deposit and utxo_spend: zod only, the same encoding after it. */
const outpoint = fc.tuple(txid, fc.nat({ max: 99 })).map(([t, v]) => `${t}:${v}`);
const otherNotification = fc.oneof(
  fc.record({
    balance_snapshot: fc.record({
      node_id: nodeId, blockheight: fc.nat({ max: 10_000_000 }), timestamp: fc.integer({ min: 0, max: 2 ** 40 }),
      accounts: fc.array(fc.record({ account_id: account, balance_msat: msatJson, coin_type: fc.constantFrom('bc', 'tb') }), { minLength: 1, maxLength: 3 }),
    }),
  }),
  fc.record({
    utxo_deposit: fc.record({
      account, transfer_from: nullish(account), outpoint, amount_msat: msatJson, coin_type: fc.constantFrom('bc', 'tb'),
      timestamp: fc.integer({ min: 0, max: 2 ** 40 }), blockheight: fc.option(fc.nat({ max: 10_000_000 }), { nil: null }),
    }),
  }),
  fc.record({
    utxo_spend: fc.record({
      account, outpoint, spending_txid: txid, amount_msat: msatJson, coin_type: fc.constantFrom('bc', 'tb'),
      timestamp: fc.integer({ min: 0, max: 2 ** 40 }), blockheight: fc.option(fc.nat({ max: 10_000_000 }), { nil: null }),
    }),
  }),
).map((n) => JSON.parse(JSON.stringify(n)) as Record<string, unknown>);

const FIELDS = [
  'version', 'node_id', 'type', 'created_index', 'account_id', 'originating_account', 'peer_id', 'tags', 'primary_tag', 'extra_tags', 'utxo',
  'utxo_txid', 'vout', 'spending_txid', 'txid', 'payment_hash', 'part_id', 'group_id', 'credit_msat', 'debit_msat', 'output_msat',
  'output_count', 'fees_msat', 'blockheight', 'timestamp', 'coin_type', 'unknown_field',
];

/** Values that are valid for some fields and not for others, and edges of every range. */
const tricky = fc.oneof(
  fc.constantFrom<unknown>(
    undefined, null, true, 0, -0, -1, 1.5, 2 ** 32 - 1, 2 ** 32, 2 ** 40, 2 ** 40 + 1, Number.MAX_SAFE_INTEGER, 2 ** 53, 1e300, '', ' ', '0', '01', '-1',
    '18446744073709551615', '18446744073709551616', '99999999999999999999', '123msat', ' 123msat ', '10000sat', '0.001btc', '1.000000000001btc',
    '12.5', 'twelve', 'chain_mvt', 'channel_mvt', 'invoice', 'Invoice', 'bc', 'BC', 'toolongcoin', [], ['invoice'], ['Bad'], [1], {}, { nested: true },
    '02' + 'ab'.repeat(32), '04' + 'ab'.repeat(32), 'ab'.repeat(32), 'AB'.repeat(32), 'ab'.repeat(31), 'gg'.repeat(32), `${'ab'.repeat(32)}:0`,
    `${'ab'.repeat(32)}:12345678901`, 'x'.repeat(200), 'x'.repeat(201),
  ),
  fc.integer(),
  fc.string({ maxLength: 8 }),
);

/** A valid coin_movement with 1 to 3 of its fields replaced (or deleted, or added). */
const mutated = fc
  .tuple(coinMovement, fc.array(fc.tuple(fc.constantFrom(...FIELDS), tricky), { minLength: 1, maxLength: 3 }))
  .map(([m, changes]) => {
    const copy: Record<string, unknown> = { ...m };
    for (const [field, value] of changes) {
      if (value === undefined) delete copy[field];
      else copy[field] = value;
    }
    return copy;
  });

function agree(input: unknown): 'fast' | 'zod' {
  const slow = coinMovementSchema.safeParse(input);
  const fast = fastCoinMovement(input);
  if (fast === undefined) return 'zod';
  expect(slow.success, `fast path accepted what zod refuses: ${JSON.stringify(slow.error?.issues)}`).toBe(true);
  expect(fast).toEqual(slow.data);
  return 'fast';
}

describe('coin_movement fast path, property-based', () => {
  it('accepts only what zod accepts and gives the same coin movement, and takes nearly every valid one', () => {
    let fast = 0;
    let valid = 0;
    fc.assert(
      fc.property(coinMovement, (m) => {
        if (!coinMovementSchema.safeParse(m).success) return;
        valid++;
        if (agree(m) === 'fast') fast++;
      }),
      { numRuns: RUNS, seed },
    );
    // The generator makes chain movements without an outpoint and movements without a tag: those are invalid.
    expect(valid).toBeGreaterThan(RUNS / 4);
    expect(fast).toBe(valid);
  });

  it('agrees with zod on mutated notifications', () => {
    let fast = 0;
    fc.assert(
      fc.property(mutated, (m) => {
        if (agree(m) === 'fast') fast++;
      }),
      { numRuns: RUNS, seed },
    );
    expect(fast).toBeGreaterThan(0);
  });

  it('normalizes and encodes as normalizeNotification and movementToWire do, every kind of notification', () => {
    fc.assert(
      fc.property(fc.oneof(coinMovement.map((m) => ({ coin_movement: m })), otherNotification), fc.constantFrom('bare', 'jsonrpc'), (named, envelope) => {
        const name = Object.keys(named)[0]!;
        const body = envelope === 'bare' ? named : { jsonrpc: '2.0', method: name, params: named };
        const parsed = parseNotification(body);
        if (!parsed.ok) return;
        const plain = normalizeNotification(parsed.notification, { nodeId: '02' + '11'.repeat(32) });
        const encoded = normalizeAndEncode(parsed.notification, { nodeId: '02' + '11'.repeat(32) });
        if (!plain.ok || !encoded.ok) throw new Error('a valid notification with a node always normalizes');
        expect(encoded.movements.map((e) => e.movement)).toEqual(plain.movements);
        expect(encoded.movements.map((e) => e.json)).toEqual(plain.movements.map((p) => JSON.stringify(movementToWire(p))));
      }),
      { numRuns: RUNS / 4, seed },
    );
  });
});
