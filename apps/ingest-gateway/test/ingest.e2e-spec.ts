import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, headers, type NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, PrivateNatsServer, startServiceProcess, type RunningService } from '@bkpr/testing';

const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const otherNode = '03' + '5d'.repeat(32);
const channel = '71b0d2a6082ddb2c407ef003aa888c97d3dc5fb78a9011082ad04c27b8151119';
const token = 'test-token-open-sesame';
const boundToken = 'test-token-bound-to-node';

const channelMovement = (i: number, nodeId = node) => ({
  coin_movement: {
    version: 2,
    node_id: nodeId,
    type: 'channel_mvt',
    account_id: channel,
    payment_hash: i.toString(16).padStart(64, '0'),
    credit_msat: 1_000 * i,
    debit_msat: 0,
    fees_msat: 0,
    tags: ['invoice'],
    timestamp: 1_700_000_000 + i,
    coin_type: 'bcrt',
  },
});
const utxoDeposit = {
  utxo_deposit: {
    account: 'coldcard',
    transfer_from: null,
    outpoint: `${'ab'.repeat(32)}:0`,
    amount_msat: '0.001btc',
    coin_type: 'bcrt',
    timestamp: 1_700_000_000,
    blockheight: 101,
  },
};
const ndjson = (items: unknown[]) => items.map((i) => JSON.stringify(i)).join('\n');

const ns = freshNamespace('bkpr_tgw');
let open: RunningService;
let locked: RunningService;
let nc: NatsConnection;

async function post(service: RunningService, body: string, init: { path?: string; type?: string; auth?: string } = {}) {
  const res = await fetch(`${service.url}${init.path ?? '/v1/notifications'}`, {
    method: 'POST',
    headers: { 'content-type': init.type ?? 'application/json', ...(init.auth ? { authorization: `Bearer ${init.auth}` } : {}) },
    body,
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: (await res.json()) as any };
}

async function streamMessages(): Promise<number> {
  const jsm = await jetstreamManager(nc);
  return (await jsm.streams.info(ns.names.streams.movements)).state.messages;
}

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  [open, locked] = await Promise.all([
    startServiceProcess('ingest-gateway', await freePort(), ns.env()),
    startServiceProcess('ingest-gateway', await freePort(), ns.env({ BKPR_INGEST_TOKENS: `${token},${boundToken}=${node}`, BKPR_INGEST_MAX_BYTES: '4096' })),
  ]);
  nc = await connect({ servers: ns.natsUrl });
}, 60_000);

afterAll(async () => {
  await nc?.close();
  await Promise.all([open?.stop(), locked?.stop()]);
  await ns.cleanup();
});

describe('POST /v1/notifications', () => {
  it('stores an NDJSON batch once: the second post of it is all duplicates', async () => {
    const batch = ndjson([1, 2, 3].map((i) => channelMovement(i)));
    const first = await post(open, batch, { type: 'application/x-ndjson' });
    expect(first.status).toBe(202);
    expect(first.json).toMatchObject({ accepted: 3, duplicates: 0 });
    const again = await post(open, batch, { type: 'application/x-ndjson' });
    expect(again.json).toEqual({ accepted: 0, duplicates: 3, seq: first.json.seq });
    expect(await streamMessages()).toBe(3);
  });

  it('needs a node for utxo events: 400 naming node_id without one, 202 with ?node_id=', async () => {
    const missing = await post(open, JSON.stringify(utxoDeposit));
    expect(missing.status).toBe(400);
    expect(missing.json.issues).toEqual([{ index: 0, path: 'node_id', message: expect.stringContaining('names no node') }]);
    const given = await post(open, JSON.stringify(utxoDeposit), { path: `/v1/notifications?node_id=${node}` });
    expect(given).toMatchObject({ status: 202, json: { accepted: 1, duplicates: 0 } });
  });

  it('points at malformed JSON by line and column, and publishes nothing', async () => {
    const before = await streamMessages();
    const res = await post(open, `${JSON.stringify(channelMovement(9))}\n{"coin_movement": {`, { type: 'application/x-ndjson' });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'malformed body', line: 2 });
    expect(await streamMessages()).toBe(before);
  });

  it('reads bodies as UTF-8 bytes (a byte order mark dropped) or in the charset the content type names; a big body through the worker', async () => {
    const named = (i: number, account: string) => ({ coin_movement: { ...channelMovement(i).coin_movement, account_id: account } });
    const bom = await post(open, `\uFEFF${JSON.stringify(named(500, 'café ☕'))}`, { type: 'application/json; charset=utf-8' });
    expect(bom).toMatchObject({ status: 202, json: { accepted: 1 } });
    const latin1 = await fetch(`${open.url}/v1/notifications`, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=latin1' },
      body: Buffer.from(JSON.stringify(named(501, 'café')), 'latin1'),
    });
    expect(latin1.status).toBe(202);
    const unknown = await post(open, JSON.stringify(channelMovement(502)), { type: 'application/json; charset=klingon' });
    expect(unknown).toMatchObject({ status: 415, json: { message: 'unsupported charset "KLINGON"' } });
    // Over 16 KiB: checked in the worker thread, its non-ASCII text intact.
    const big = ndjson(Array.from({ length: 60 }, (_, i) => named(600 + i, `ü-${i}`)));
    expect(Buffer.byteLength(big)).toBeGreaterThan(16 * 1024);
    expect(await post(open, big, { type: 'application/x-ndjson' })).toMatchObject({ status: 202, json: { accepted: 60, duplicates: 0 } });
    const again = await post(open, big.replace(/\n/g, '\n\n'), { type: 'application/x-ndjson' });
    expect(again).toMatchObject({ status: 202, json: { accepted: 0, duplicates: 60 } });
  });

  it('answers 413 above the configured size', async () => {
    const res = await post(locked, ndjson(Array.from({ length: 40 }, (_, i) => channelMovement(100 + i))), { type: 'application/x-ndjson', auth: token });
    expect(res).toMatchObject({ status: 413, json: { error: 'payload too large', limit_bytes: 4096 } });
  });

  it('with tokens configured: 401 without one, 403 for another node with a bound token, the bound node by default', async () => {
    expect((await post(locked, JSON.stringify(channelMovement(200)))).status).toBe(401);
    expect((await post(locked, JSON.stringify(channelMovement(200)), { auth: 'wrong-token-xxxxxxxx' })).status).toBe(401);
    expect((await post(locked, JSON.stringify(channelMovement(200, otherNode)), { auth: boundToken })).status).toBe(403);
    expect((await post(locked, JSON.stringify(channelMovement(200, otherNode)), { auth: token })).status).toBe(202);
    const deposit = { utxo_deposit: { ...utxoDeposit.utxo_deposit, outpoint: `${'cd'.repeat(32)}:1` } };
    expect(await post(locked, JSON.stringify(deposit), { auth: boundToken })).toMatchObject({ status: 202, json: { accepted: 1 } });
  });
});

describe('API documents', () => {
  it('serves the OpenAPI document generated from the schemas, a UI, and the AsyncAPI document', async () => {
    const openapi = (await (await fetch(`${open.url}/openapi.json`)).json()) as any;
    expect(openapi.openapi).toBe('3.1.0');
    expect(Object.keys(openapi.paths['/v1/notifications'].post.responses).sort()).toEqual(['202', '400', '401', '403', '413', '503']);
    expect((await fetch(`${open.url}/docs`)).status).toBe(200);
    const asyncapi = (await (await fetch(`${open.url}/asyncapi.json`)).json()) as any;
    expect(asyncapi.channels.ingest.address).toBe(`${ns.namespace}.ingest`);
  });
});

describe(`NATS request/reply on <ns>.ingest`, () => {
  it('gives the same answers as HTTP, with the status in a header', async () => {
    const h = headers();
    h.set('X-Bkpr-Node', node);
    h.set('Authorization', `Bearer ${token}`); // both gateways of this namespace answer the queue group
    const reply = await nc.request(ns.names.ingestSubject, JSON.stringify([channelMovement(300), channelMovement(300)]), { timeout: 5_000, headers: h });
    expect(reply.headers?.get('Bkpr-Status')).toBe('202');
    expect(reply.json()).toMatchObject({ accepted: 1, duplicates: 1 });
    const big = JSON.stringify(Array.from({ length: 60 }, (_, i) => channelMovement(700 + i)));
    expect(big.length).toBeGreaterThan(16 * 1024);
    const bigReply = await nc.request(ns.names.ingestSubject, big, { timeout: 5_000, headers: h });
    expect(bigReply.json()).toMatchObject({ accepted: 60, duplicates: 0 });
    const bad = await nc.request(ns.names.ingestSubject, '{"coin_movement": {}}', { timeout: 5_000, headers: h });
    expect(bad.headers?.get('Bkpr-Status')).toBe('400');
    expect((bad.json() as any).issues.length).toBeGreaterThan(0);
  });
});

describe('when JetStream is down', () => {
  it('answers 503 with Retry-After, then accepts the resend exactly once when it is back', async () => {
    const server = new PrivateNatsServer(await freePort());
    await server.start();
    const privateNs = freshNamespace('bkpr_tgwdown');
    await migrateDatabase(privateNs.databaseUrl);
    const gateway = await startServiceProcess('ingest-gateway', await freePort(), { ...privateNs.env(), NATS_URL: server.url });
    try {
      const body = JSON.stringify(channelMovement(400));
      await server.stop();
      const down = await post(gateway, body);
      expect(down.status).toBe(503);
      expect(down.retryAfter).toBe('5');
      await server.start();
      const back = await pollUntil(() => post(gateway, body), (r) => r.status === 202, { what: 'the gateway to accept again' });
      expect(back.json).toMatchObject({ accepted: 1, duplicates: 0 });
      expect((await post(gateway, body)).json).toMatchObject({ accepted: 0, duplicates: 1 });
    } finally {
      await gateway.stop();
      await server.destroy();
      await privateNs.cleanup().catch(() => undefined); // its streams lived on the private server
    }
  }, 60_000);
});
