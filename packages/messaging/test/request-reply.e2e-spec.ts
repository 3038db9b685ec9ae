import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshNamespace } from '@bkpr/testing';
import { NatsClient, replyBodyLimit, serveRequests, type Reply } from '../src/index.js';

// A reply longer than the server's max_payload is refused by the client when sent: the
// request server must answer something small instead, and never let that refusal escape.
const ns = freshNamespace('bkpr_treq');
let nats: NatsClient;

beforeAll(async () => {
  nats = await NatsClient.connect({ url: ns.natsUrl, namespace: ns.namespace, name: 'request-reply-test' });
});

afterAll(async () => {
  await nats?.close();
  await ns.cleanup().catch(() => {});
});

function serve(subject: string, body: (data: string) => Reply['body']) {
  return serveRequests(nats, {
    subject,
    queue: 'test',
    handle: async (msg) => ({ status: 200, body: body(new TextDecoder().decode(msg.data)) }),
    failed: () => ({ status: 500, body: '{"error":"failed"}' }),
    tooLarge: (bytes, limit) => ({ status: 413, body: JSON.stringify({ bytes, limit }) }),
  });
}

describe('serveRequests', () => {
  it('answers with the body and its status, text or bytes', async () => {
    const subscription = serve(`${ns.namespace}.echo`, (data) => (data === 'bytes' ? new TextEncoder().encode('"as bytes"') : `"${data}"`));
    try {
      const text = await nats.connection.request(`${ns.namespace}.echo`, 'hello', { timeout: 5_000 });
      expect(text.headers?.get('Bkpr-Status')).toBe('200');
      expect(text.string()).toBe('"hello"');
      expect((await nats.connection.request(`${ns.namespace}.echo`, 'bytes', { timeout: 5_000 })).string()).toBe('"as bytes"');
    } finally {
      subscription.unsubscribe();
    }
  });

  it('answers tooLarge instead of a body longer than the bus carries, and goes on serving', async () => {
    const limit = replyBodyLimit(nats);
    expect(limit).toBeGreaterThan(0);
    const subscription = serve(`${ns.namespace}.big`, (data) => 'x'.repeat(Number(data)));
    try {
      const big = await nats.connection.request(`${ns.namespace}.big`, String(limit + 1), { timeout: 5_000 });
      expect(big.headers?.get('Bkpr-Status')).toBe('413');
      expect(big.json()).toEqual({ bytes: limit + 1, limit });
      const fits = await nats.connection.request(`${ns.namespace}.big`, String(limit), { timeout: 5_000 });
      expect(fits.headers?.get('Bkpr-Status')).toBe('200');
      expect(fits.data.length).toBe(limit);
    } finally {
      subscription.unsubscribe();
    }
  });
});
