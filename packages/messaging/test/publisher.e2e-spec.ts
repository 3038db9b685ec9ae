import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace } from '@bkpr/testing';
import { BusUnavailableError, NatsClient, provisionStreams, publishAll } from '../src/index.js';

// publishAll collects PubAcks itself (one inbox subscription per connection, shared by its
// batches): what js.publish would have reported must still come out, message by message and as
// failures, each batch its own.
const ns = freshNamespace('bkpr_tpub');
let nats: NatsClient;

beforeAll(async () => {
  nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'publisher-test' });
  await provisionStreams(nats.jsm, nats.names);
});

afterAll(async () => {
  await nats?.close();
  await ns.cleanup().catch(() => {});
});

describe('publishAll', () => {
  it('gives each message its own outcome, in request order, duplicates within a batch too', async () => {
    const subject = ns.names.movementSubject('node', 'channel');
    const requests = Array.from({ length: 2_500 }, (_, i) => ({ subject, payload: new TextEncoder().encode(`{"n":${i}}`), msgId: `p-${i % 2_000}` }));
    const outcomes = await publishAll(nats, requests);
    expect(outcomes).toHaveLength(2_500);
    expect(outcomes.filter((o) => o.duplicate)).toHaveLength(500);
    const stored = outcomes.slice(0, 2_000).map((o) => o.seq);
    expect(new Set(stored).size).toBe(2_000);
    expect(outcomes.slice(2_000).map((o) => o.seq)).toEqual(stored.slice(0, 500));
    const info = await nats.jsm.streams.info(ns.names.streams.movements);
    expect(info.state.messages).toBe(2_000);
  });

  it('keeps batches in flight at once apart on the shared inbox: each gets its own outcomes, a failing one fails alone', async () => {
    const subject = ns.names.movementSubject('node', 'chain');
    const batch = (tag: string, size: number) => Array.from({ length: size }, (_, i) => ({ subject, payload: { tag, i }, msgId: `${tag}-${i}` }));
    const [a, failed, b, single] = await Promise.allSettled([
      publishAll(nats, batch('a', 300)),
      publishAll(nats, [{ subject: `${ns.namespace}_nostream.y`, payload: {}, msgId: 'lost-1' }]),
      publishAll(nats, [...batch('b', 200), ...batch('a', 100)]),
      publishAll(nats, batch('c', 1)),
    ]);
    expect(failed.status).toBe('rejected');
    const outcomes = (r: PromiseSettledResult<{ seq: number; duplicate: boolean }[]>) => (r.status === 'fulfilled' ? r.value : expect.fail(String(r.reason)));
    expect(outcomes(a).map((o) => o.duplicate)).toEqual(Array(300).fill(false));
    expect(outcomes(b).map((o) => o.duplicate)).toEqual([...Array(200).fill(false), ...Array(100).fill(true)]);
    expect(outcomes(b).slice(200).map((o) => o.seq)).toEqual(outcomes(a).slice(0, 100).map((o) => o.seq));
    expect(outcomes(single)).toHaveLength(1);
    const seqs = [...outcomes(a), ...outcomes(b).slice(0, 200), ...outcomes(single)].map((o) => o.seq);
    expect(new Set(seqs).size).toBe(501);
  });

  it('answers an empty batch without a round trip', async () => {
    expect(await publishAll(nats, [])).toEqual([]);
  });

  it('rejects with BusUnavailableError when no stream stores the subject', async () => {
    await expect(publishAll(nats, [{ subject: `${ns.namespace}_nostream.x`, payload: { n: 1 }, msgId: 'x-1' }])).rejects.toBeInstanceOf(BusUnavailableError);
  });

  it('rejects with BusUnavailableError when JetStream refuses a message, or it cannot be sent', async () => {
    const stream = `${ns.namespace}_SMALL`;
    await nats.jsm.streams.add({ name: stream, subjects: [`${ns.namespace}_small.>`], max_msg_size: 16 });
    try {
      const refused = publishAll(nats, [{ subject: `${ns.namespace}_small.x`, payload: { text: 'longer than sixteen bytes' }, msgId: 's-1' }]);
      await expect(refused).rejects.toThrow(/JetStream refused the message/);
      await expect(refused).rejects.toBeInstanceOf(BusUnavailableError);
    } finally {
      await nats.jsm.streams.delete(stream);
    }
    const overMaxPayload = new Uint8Array(64 * 1024 * 1024);
    await expect(publishAll(nats, [{ subject: ns.names.movementSubject('node', 'chain'), payload: overMaxPayload, msgId: 'big-1' }])).rejects.toBeInstanceOf(BusUnavailableError);
  });
});
