import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOVEMENT_KINDS } from './names.js';
import { encodeMovement, movementToWire, type Movement } from './movement.js';

const seed = Number(process.env['FC_SEED'] ?? Date.now() % 2 ** 31);
console.log(`fast-check seed ${seed} (FC_SEED=${seed} replays it)`);

const text = fc.oneof(fc.string(), fc.string({ unit: 'binary' }), fc.constantFrom('"', '\\', '\u2028', '\ud800', '\n\t\u0000', 'wallet'));
const msat = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n });
const movement: fc.Arbitrary<Movement> = fc.record({
  id: text,
  nodeId: text,
  kind: fc.constantFrom(...MOVEMENT_KINDS),
  account: text,
  primaryTag: text,
  extraTags: fc.array(text, { maxLength: 3 }),
  creditMsat: msat,
  debitMsat: msat,
  outputMsat: fc.option(msat),
  feesMsat: msat,
  outpoint: fc.option(text),
  spendingTxid: fc.option(text),
  paymentId: fc.option(text),
  partId: fc.option(msat),
  blockheight: fc.option(fc.nat()),
  timestamp: fc.nat(),
  coinType: text,
  originAccount: fc.option(text),
  peerId: fc.option(text),
  outputCount: fc.option(fc.nat()),
  description: fc.option(text),
  balanceMsat: fc.option(msat),
});

describe('encodeMovement', () => {
  it('writes exactly what JSON.stringify(movementToWire(m)) writes (movement ids hash these bytes)', () => {
    fc.assert(
      fc.property(movement, fc.boolean(), (m, withoutId) => {
        const { id, ...content } = m;
        const input = withoutId ? content : { ...content, id };
        expect(encodeMovement(input)).toBe(JSON.stringify(movementToWire(input)));
      }),
      { numRuns: 5_000, seed },
    );
  });
});
