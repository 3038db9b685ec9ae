import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOVEMENT_KINDS, movementFromWire, movementToWire, movementWireSchema, type Movement } from '@bkpr/contracts';

const msat = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const text = fc.string({ maxLength: 80 });
const movement: fc.Arbitrary<Movement> = fc.record({
  id: fc.string({ minLength: 1, maxLength: 200 }),
  nodeId: fc.string({ minLength: 1, maxLength: 100 }),
  kind: fc.constantFrom(...MOVEMENT_KINDS),
  account: fc.string({ minLength: 1, maxLength: 200 }),
  primaryTag: fc.string({ minLength: 1, maxLength: 30 }),
  extraTags: fc.array(fc.string({ maxLength: 20 }), { maxLength: 4 }),
  creditMsat: msat,
  debitMsat: msat,
  outputMsat: fc.option(msat, { nil: null }),
  feesMsat: msat,
  outpoint: fc.option(text, { nil: null }),
  spendingTxid: fc.option(text, { nil: null }),
  paymentId: fc.option(text, { nil: null }),
  partId: fc.option(msat, { nil: null }),
  blockheight: fc.option(fc.integer({ min: 0, max: 2_000_000 }), { nil: null }),
  timestamp: fc.maxSafeInteger(),
  coinType: text,
  originAccount: fc.option(text, { nil: null }),
  peerId: fc.option(text, { nil: null }),
  outputCount: fc.option(fc.integer(), { nil: null }),
  description: fc.option(text, { nil: null }),
  balanceMsat: fc.option(msat, { nil: null }),
});

/** Values that sit on the schema's edges. */
const edgy = fc.constantFrom<unknown>(
  null, undefined, '', ' ', 'x'.repeat(101), 'x'.repeat(201), '01', '1'.repeat(20), '1'.repeat(21), ' 1', '1 ', '-1', '1.0', '١',
  0, -0, 1, 2, 1.5, -1, 2 ** 53, 2 ** 53 - 1, Number.MAX_VALUE, true, false, [], ['a'], [1], {}, 'chain', 'description', 'nope',
);

/** A valid wire movement with one field replaced by something else (or removed), as JSON would carry it. */
const mutated = fc.tuple(movement, fc.nat(), fc.oneof(edgy, fc.jsonValue(), fc.constant(Symbol.for('delete')))).map(([m, at, value]) => {
  const wire: Record<string, unknown> = JSON.parse(JSON.stringify(movementToWire(m)));
  const keys = Object.keys(wire);
  const key = keys[at % keys.length]!;
  if (value === Symbol.for('delete')) delete wire[key];
  else wire[key] = value;
  return JSON.parse(JSON.stringify(wire)) as unknown;
});

describe('movementFromWire', () => {
  it('decodes every valid wire movement exactly as the contract schema does', () => {
    fc.assert(
      fc.property(movement, (m) => {
        const json: unknown = JSON.parse(JSON.stringify(movementToWire(m)));
        const fast = movementFromWire(json);
        expect(fast).toBeDefined();
        expect(fast).toStrictEqual(movementWireSchema.parse(json));
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts what the schema rejects, and gives what it gives (mutated fields, unknown keys, non-objects)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.jsonValue()), (json) => {
        const fast = movementFromWire(json);
        if (fast === undefined) return;
        const parsed = movementWireSchema.safeParse(json);
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
      }),
      { numRuns: 3_000 },
    );
  });
});
