import { describe, expect, it } from 'vitest';
import type { JsMsg } from '@nats-io/jetstream';
import { deliveryOf } from './delivery.js';

/** A message with `reply`, whose `info` (nats.js's reading) must not be needed, or gives `fallback`. */
const message = (reply: string, fallback?: { streamSequence: number; deliveryCount: number; pending: number }): JsMsg =>
  ({
    reply,
    get info() {
      if (!fallback) throw new Error(`info read for ${reply}`);
      return fallback;
    },
  }) as unknown as JsMsg;

describe('deliveryOf', () => {
  it('reads the short and the long form of the ack subject', () => {
    expect(deliveryOf(message('$JS.ACK.movements.ledger.2.1043.1101.1732780000000000000.17'))).toEqual({ deliveryCount: 2, streamSeq: 1043, pending: 17 });
    expect(deliveryOf(message('$JS.ACK._.ABCHASH.movements.ledger.1.7.8.1732780000000000000.0'))).toEqual({ deliveryCount: 1, streamSeq: 7, pending: 0 });
    expect(deliveryOf(message('$JS.ACK.hub.ABCHASH.movements.ledger.3.900719925474099.12.1732780000000000000.5.xyz'))).toEqual({
      deliveryCount: 3, streamSeq: 900_719_925_474_099, pending: 5,
    });
  });

  it('leaves any other form to nats.js', () => {
    const fallback = { streamSequence: 5, deliveryCount: 1, pending: 9 };
    for (const reply of ['', '$JS.ACK.s.c.1.2.3.4', '$JS.ACK.s.c.1.2x.3.4.5', '$JS.ACK.s.c.1.2.3.4.-5', '$JS.ACK.a.b.s.c.1.2.3.4.5.r.more', `$JS.ACK.s.c.1.${'9'.repeat(16)}.3.4.5`, '_INBOX.x.y']) {
      expect(deliveryOf(message(reply, fallback))).toEqual({ streamSeq: 5, deliveryCount: 1, pending: 9 });
    }
  });
});
