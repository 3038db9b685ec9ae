import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MOVEMENT_KINDS, recordedEventSchema, recordedFromWire } from '@bkpr/contracts';

const seq = fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER });
const text = fc.string({ maxLength: 80 });
const listed = fc.record({
  movement_id: fc.string({ minLength: 1, maxLength: 80 }),
  account: text,
  outpoint: fc.option(text, { nil: null }),
  spending_txid: fc.option(text, { nil: null }),
  stream_seq: seq,
});
const announcement = fc.record({
  v: fc.constant(2),
  node_id: text,
  kind: fc.constantFrom(...MOVEMENT_KINDS),
  stream_seq: seq,
  movements: fc.array(listed, { minLength: 1, maxLength: 5 }),
});

/** Values that sit on the schema's edges. */
const edgy = fc.constantFrom<unknown>(null, undefined, '', 'chain', 'nope', 0, -0, 1, 2, 1.5, -1, 2 ** 53, 2 ** 53 - 1, true, [], [{}], {}, { v: 1 });

/** A valid announcement with one field, of it or of one listed movement, replaced by something else, removed, or one key added. */
const mutated = fc.tuple(announcement, fc.nat(), fc.nat(), fc.boolean(), fc.oneof(edgy, fc.jsonValue(), fc.constant(Symbol.for('delete')))).map(([a, at, which, inMovement, value]) => {
  const wire = JSON.parse(JSON.stringify(a)) as Record<string, unknown>;
  const target = inMovement ? (wire['movements'] as Record<string, unknown>[])[which % a.movements.length]! : wire;
  const keys = [...Object.keys(target), 'extra'];
  const key = keys[at % keys.length]!;
  if (value === Symbol.for('delete')) delete target[key];
  else target[key] = value;
  return JSON.parse(JSON.stringify(wire)) as unknown;
});

describe('recordedFromWire', () => {
  it('decodes every valid announcement exactly as the contract schema does', () => {
    fc.assert(
      fc.property(announcement, (a) => {
        const json: unknown = JSON.parse(JSON.stringify(a));
        const fast = recordedFromWire(json);
        expect(fast).toBeDefined();
        expect(fast).toStrictEqual(recordedEventSchema.parse(json));
        expect(Object.keys(fast!)).toEqual(Object.keys(recordedEventSchema.parse(json)));
      }),
      { numRuns: 500 },
    );
  });

  it('never accepts what the schema rejects, and gives what it gives (mutated fields, unknown keys, version 1, non-objects)', () => {
    fc.assert(
      fc.property(fc.oneof(mutated, fc.jsonValue()), (json) => {
        const fast = recordedFromWire(json);
        if (fast === undefined) return;
        const parsed = recordedEventSchema.safeParse(json);
        expect(parsed.success).toBe(true);
        expect(fast).toStrictEqual(parsed.data);
      }),
      { numRuns: 3_000 },
    );
  });
});
