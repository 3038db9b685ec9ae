import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JsMsg } from '@nats-io/jetstream';
import { z } from 'zod';
import { freshNamespace, pollUntil } from '@bkpr/testing';
import { BatchConsumer, jsonDecoder, NatsClient, provisionConsumer, provisionStreams, publishAll, type DecodedMessage } from '../src/index.js';
import { deliveryOf } from '../src/delivery.js';

const ns = freshNamespace('bkpr_tmsg');
let nats: NatsClient;

const itemSchema = z.object({ n: z.number().int() });
type Item = z.output<typeof itemSchema>;
const silent = { info: () => {}, warn: () => {}, error: () => {} };

async function consumerFor(durable: string, handle: (batch: readonly DecodedMessage<Item>[]) => Promise<void>, concurrency = 1) {
  await provisionConsumer(nats.jsm, {
    stream: ns.names.streams.movements,
    durable,
    filterSubject: ns.names.movementFilter,
    maxDeliver: 3,
    ackWaitMs: 5_000,
    maxAckPending: 100,
  });
  const consumer = new BatchConsumer<Item>({
    js: nats.js,
    stream: ns.names.streams.movements,
    durable,
    dlqSubject: ns.names.dlqSubject(durable),
    maxDeliver: 3,
    batchSize: 4,
    fetchExpiresMs: 1_000,
    decode: jsonDecoder(itemSchema, 'an item'),
    handle,
    logger: silent,
    retryDelayMs: 50,
    concurrency,
  });
  consumer.start();
  return consumer;
}

async function dlqMessages(): Promise<JsMsg[]> {
  const info = await nats.jsm.streams.info(ns.names.streams.dlq);
  const found: JsMsg[] = [];
  if (info.state.messages === 0) return found;
  const consumer = await nats.js.consumers.get(ns.names.streams.dlq);
  const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 1_000 });
  for await (const msg of batch) found.push(msg);
  return found;
}

beforeAll(async () => {
  nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'batch-consumer-test' });
  await provisionStreams(nats.jsm, nats.names);
  await provisionStreams(nats.jsm, nats.names); // idempotent
});

afterAll(async () => {
  await nats?.close();
  await ns.cleanup().catch(() => {});
});

describe('publishAll', () => {
  it('acknowledges every message and reports re-sends with the same msg id as duplicates', async () => {
    const requests = [1, 2, 3].map((n) => ({ subject: ns.names.movementSubject('node', 'chain'), payload: { n }, msgId: `m-${n}` }));
    const first = await publishAll(nats, requests);
    const again = await publishAll(nats, requests);
    expect(first.map((o) => o.duplicate)).toEqual([false, false, false]);
    expect(again.map((o) => o.duplicate)).toEqual([true, true, true]);
    expect(again.map((o) => o.seq)).toEqual(first.map((o) => o.seq));
  });
});

describe('BatchConsumer', () => {
  it('hands over every message once, dead-letters poison with the reason, retries a transient failure and keeps going', async () => {
    const subject = ns.names.movementSubject('node', 'chain');
    await publishAll(nats, [
      { subject, payload: { n: 10 }, msgId: 'ok-10' },
      { subject, payload: { n: 'not a number' }, msgId: 'poison' },
      { subject, payload: { n: 11 }, msgId: 'flaky-11' },
      { subject, payload: { n: 12 }, msgId: 'ok-12' },
    ]);
    const handled: number[] = [];
    let failuresLeft = 1;
    const consumer = await consumerFor('worker', async (batch) => {
      if (failuresLeft > 0 && batch.some((m) => m.value.n === 11)) {
        failuresLeft -= 1;
        throw new Error('database briefly unavailable');
      }
      handled.push(...batch.map((m) => m.value.n));
    });
    try {
      await pollUntil(async () => [...handled].sort(), (ns) => ns.length >= 6, { what: "all items handled" });
      expect([...handled].sort((a, b) => a - b)).toEqual([1, 2, 3, 10, 11, 12]);
      const dead = await pollUntil(dlqMessages, (m) => m.length === 1, { what: "one dead letter" });
      expect(dead[0]!.subject).toBe(ns.names.dlqSubject('worker'));
      expect(dead[0]!.headers?.get('Bkpr-Dlq-Reason')).toMatch(/^not an item: n: /);
      expect(dead[0]!.json()).toEqual({ n: 'not a number' });
      await pollUntil(
        () => nats.jsm.consumers.info(ns.names.streams.movements, 'worker'),
        (info) => info.num_ack_pending === 0 && info.num_pending === 0,
        { what: 'every message acknowledged or terminated' },
      );
      expect(consumer.health()).toMatchObject({ running: true, lastError: null });
    } finally {
      await consumer.stop();
    }
  });

  it('with two batches in flight, hands over every message once and acknowledges them all', async () => {
    const subject = ns.names.movementSubject('node', 'channel');
    await publishAll(nats, Array.from({ length: 40 }, (_, i) => ({ subject, payload: { n: 100 + i }, msgId: `c-${i}` })));
    const handled: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const consumer = await consumerFor(
      'pair',
      async (batch) => {
        inFlight += 1;
        mostInFlight = Math.max(mostInFlight, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 20));
        handled.push(...batch.map((m) => m.value.n));
        inFlight -= 1;
      },
      2,
    );
    try {
      await pollUntil(
        () => nats.jsm.consumers.info(ns.names.streams.movements, 'pair'),
        (info) => info.num_ack_pending === 0 && info.num_pending === 0 && handled.filter((n) => n >= 100).length >= 40,
        { what: 'every message handled and acknowledged' },
      );
      const ours = handled.filter((n) => n >= 100).sort((a, b) => a - b);
      expect(ours).toEqual(Array.from({ length: 40 }, (_, i) => 100 + i));
      expect(mostInFlight).toBe(2);
    } finally {
      await consumer.stop();
    }
  });
});

describe('deliveryOf', () => {
  it('reads from a real delivery what nats.js reads, first delivery and redelivery', async () => {
    const subject = ns.names.movementSubject('node', 'snapshot');
    await publishAll(nats, [1, 2, 3].map((n) => ({ subject, payload: { n }, msgId: `d-${n}` })));
    await provisionConsumer(nats.jsm, { stream: ns.names.streams.movements, durable: 'reader', filterSubject: subject, maxDeliver: 3, ackWaitMs: 5_000, maxAckPending: 100 });
    const consumer = await nats.js.consumers.get(ns.names.streams.movements, 'reader');
    const read: { ours: unknown; theirs: unknown }[] = [];
    for (const last of [false, true]) {
      for await (const m of await consumer.fetch({ max_messages: 3, expires: 1_000 })) {
        // The subject our reading takes (not left to nats.js's `info`).
        expect([9, 11, 12]).toContain((m as unknown as { reply: string }).reply.split('.').length);
        read.push({ ours: deliveryOf(m), theirs: { streamSeq: m.info.streamSequence, deliveryCount: m.info.deliveryCount, pending: m.info.pending } });
        if (last) m.ack();
        else m.nak();
      }
    }
    expect(read).toHaveLength(6);
    for (const { ours, theirs } of read) expect(ours).toEqual(theirs);
    expect(read.map(({ ours }) => (ours as { deliveryCount: number }).deliveryCount)).toEqual([1, 1, 1, 2, 2, 2]);
  });
});
