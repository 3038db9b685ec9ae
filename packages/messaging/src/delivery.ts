import type { JsMsg } from '@nats-io/jetstream';

/** What the consume loop reads of a delivery. */
export interface Delivery {
  readonly streamSeq: number;
  readonly deliveryCount: number;
  /** Messages the consumer still had pending after this one. */
  readonly pending: number;
}

/** Positions of the dots of the reply subject being read. */
const dots = new Int32Array(16);

/** The decimal digits from `start` to `end` of `text` as a number; -1 if they are not 1 to 15 digits. */
function digitsAt(text: string, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const d = text.charCodeAt(k) - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

/**
 * A delivery's stream sequence, delivery count and pending count, read from its reply subject
 * — JetStream's ack subject, `$JS.ACK.<stream>.<consumer>.<delivered>.<stream seq>.<consumer
 * seq>.<time>.<pending>`, or with `<domain>.<account hash>.` after `$JS.ACK.` and a token at the
 * end — as nats.js's `info` reads it, without splitting the subject into strings (≈ 650 B a
 * message). Any other form is left to `info`.
 */
export function deliveryOf(msg: JsMsg): Delivery {
  // Not in JsMsg's type, but nats.js's messages have it (`info` parses it); without it, `info`.
  const reply = (msg as { readonly reply?: unknown }).reply;
  if (typeof reply === 'string' && reply.startsWith('$JS.ACK.')) {
    let count = 0;
    for (let at = reply.indexOf('.'); at !== -1 && count < dots.length; at = reply.indexOf('.', at + 1)) dots[count++] = at;
    const tokens = count + 1;
    // Where <delivered> is: token 4 of the short form, 6 of the long one.
    const first = tokens === 9 ? 4 : tokens === 11 || tokens === 12 ? 6 : -1;
    if (first > 0 && count < dots.length) {
      const tokenEnd = (k: number) => (k < count ? dots[k]! : reply.length);
      const deliveryCount = digitsAt(reply, dots[first - 1]! + 1, tokenEnd(first));
      const streamSeq = digitsAt(reply, dots[first]! + 1, tokenEnd(first + 1));
      const pending = digitsAt(reply, dots[first + 3]! + 1, tokenEnd(first + 4));
      if (deliveryCount >= 0 && streamSeq >= 0 && pending >= 0) return { streamSeq, deliveryCount, pending };
    }
  }
  const info = msg.info;
  return { streamSeq: info.streamSequence, deliveryCount: info.deliveryCount, pending: info.pending };
}
