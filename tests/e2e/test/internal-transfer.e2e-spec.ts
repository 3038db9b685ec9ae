import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createDataSource, DerivedRepository, migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, SERVICES, startServiceProcess, type RunningService } from '@bkpr/testing';
import type { DataSource } from 'typeorm';

// Two nodes of one organization: Alice's wallet pays Bob's wallet, later Bob's pays some of it
// back. Each output is one internal transfer: stored once, announced once under its sender.
const alice = '02' + 'a1'.repeat(32);
const bob = '03' + 'b0'.repeat(32);
const funding = '11'.repeat(32);
const toBob = '22'.repeat(32);
const toAlice = '33'.repeat(32);
const base = { version: 2, type: 'chain_mvt', coin_type: 'bcrt' };
const chainMvt = (fields: Record<string, unknown>) => ({ coin_movement: { ...base, credit_msat: 0, debit_msat: 0, ...fields } });

const aliceFunded = chainMvt({ node_id: alice, account_id: 'wallet', utxo_txid: funding, vout: 0, credit_msat: 1_000_000_000, output_msat: 1_000_000_000, tags: ['deposit'], blockheight: 100, timestamp: 1_700_000_000 });
const aliceSends = [
  chainMvt({ node_id: alice, account_id: 'external', originating_account: 'wallet', utxo_txid: toBob, vout: 0, credit_msat: 700_000_000, output_msat: 700_000_000, tags: ['deposit'], blockheight: 0, timestamp: 1_700_000_100 }),
  chainMvt({ node_id: alice, account_id: 'wallet', utxo_txid: toBob, vout: 1, credit_msat: 299_000_000, output_msat: 299_000_000, tags: ['deposit'], blockheight: 110, timestamp: 1_700_000_101 }),
  chainMvt({ node_id: alice, account_id: 'wallet', txid: toBob, utxo_txid: funding, vout: 0, debit_msat: 1_000_000_000, output_msat: 1_000_000_000, tags: ['withdrawal'], blockheight: 110, timestamp: 1_700_000_102 }),
];
const bobReceives = chainMvt({ node_id: bob, account_id: 'wallet', utxo_txid: toBob, vout: 0, credit_msat: 700_000_000, output_msat: 700_000_000, tags: ['deposit'], blockheight: 110, timestamp: 1_700_000_200 });
const bobSendsBack = [
  chainMvt({ node_id: bob, account_id: 'external', originating_account: 'wallet', utxo_txid: toAlice, vout: 0, credit_msat: 699_500_000, output_msat: 699_500_000, tags: ['deposit'], blockheight: 0, timestamp: 1_700_000_300 }),
  chainMvt({ node_id: bob, account_id: 'wallet', txid: toAlice, utxo_txid: toBob, vout: 0, debit_msat: 700_000_000, output_msat: 700_000_000, tags: ['withdrawal'], blockheight: 120, timestamp: 1_700_000_301 }),
];
const aliceReceivesBack = chainMvt({ node_id: alice, account_id: 'wallet', utxo_txid: toAlice, vout: 0, credit_msat: 699_500_000, output_msat: 699_500_000, tags: ['deposit'], blockheight: 120, timestamp: 1_700_000_400 });
const unrelated = chainMvt({ node_id: alice, account_id: 'wallet', utxo_txid: '44'.repeat(32), vout: 0, credit_msat: 5_000, output_msat: 5_000, tags: ['deposit'], blockheight: 130, timestamp: 1_700_000_500 });

const ns = freshNamespace('bkpr_titr');
const services: RunningService[] = [];
let nc: NatsConnection;
let dataSource: DataSource;

async function ingest(body: unknown): Promise<void> {
  const gateway = services.find((s) => s.name === 'ingest-gateway')!;
  const res = await fetch(`${gateway.url}/v1/notifications`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
}

interface Announced { subject: string; msgId: string | undefined; event: any }

/** Every message of the derived stream so far. */
async function derivedEvents(): Promise<Announced[]> {
  const jsm = await jetstreamManager(nc);
  const count = (await jsm.streams.info(ns.names.streams.derived)).state.messages;
  if (count === 0) return [];
  const consumer = await jetstream(nc).consumers.get(ns.names.streams.derived);
  const seen: Announced[] = [];
  for await (const m of await consumer.fetch({ max_messages: count, expires: 2_000 })) {
    seen.push({ subject: m.subject, msgId: m.headers?.get('Nats-Msg-Id'), event: m.json() });
    if (seen.length === count) break;
  }
  return seen;
}

/** Resolves once the reconciler acknowledged everything the ledger announced so far. */
async function reconcilerSettled(): Promise<void> {
  const jsm = await jetstreamManager(nc);
  await pollUntil(
    async () => {
      const stream = await jsm.streams.info(ns.names.streams.recorded);
      const consumer = await jsm.consumers.info(ns.names.streams.recorded, ns.names.consumers.reconciler);
      return consumer.num_pending === 0 && consumer.num_ack_pending === 0 && consumer.ack_floor.stream_seq >= stream.state.last_seq && stream.state.last_seq > 0;
    },
    (settled) => settled,
    { what: 'the reconciler acknowledging every recorded fact' },
  );
}

const transfersOf = (events: Announced[]) => events.filter((e) => e.event.kind === 'internal_transfer');

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  // The reconciler logs each announcement (info), so the test sees repeats JetStream's msg-id would hide.
  const envOf = (name: string) => ns.env(name === 'reconciler' ? { LOG_LEVEL: 'info' } : {});
  services.push(...(await Promise.all(SERVICES.map(async (name) => startServiceProcess(name, await freePort(), envOf(name))))));
  nc = await connect({ servers: ns.natsUrl });
  dataSource = createDataSource(ns.databaseUrl, 'internal-transfer-e2e');
  await dataSource.initialize();
}, 120_000);

afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await nc?.close();
  await dataSource?.destroy();
  await ns.cleanup();
});

describe('internal transfers between the nodes of an organization', () => {
  it("announces Alice's wallet paying Bob's wallet once, under Alice, and stores it once", async () => {
    // The arrival first, then the send: the transfer is found when the second side lands.
    await ingest([aliceFunded, bobReceives]);
    await ingest(aliceSends);
    const events = await pollUntil(derivedEvents, (seen) => transfersOf(seen).length > 0, { what: 'an internal_transfer event' });
    const [announced] = transfersOf(events);
    expect(announced).toEqual({
      subject: `${ns.namespace}.derived.${alice}.internal_transfer`,
      msgId: `${alice}:internal_transfer:${toBob}:0`,
      event: {
        v: 1, kind: 'internal_transfer', node_id: alice, outpoint: `${toBob}:0`, txid: toBob, amount_msat: '700000000', currency: 'bcrt',
        from: { node_id: alice, account: 'wallet' }, to: { node_id: bob, account: 'wallet' }, blockheight: 110, timestamp: 1_700_000_100,
      },
    });
    expect(await new DerivedRepository(dataSource).internalTransfers(null)).toEqual([
      {
        outpoint: `${toBob}:0`, txid: toBob, amountMsat: 700_000_000n, currency: 'bcrt',
        from: { nodeId: alice, account: 'wallet' }, to: { nodeId: bob, account: 'wallet' }, blockheight: 110, timestamp: 1_700_000_100,
      },
    ]);
  });

  it('announces each transfer exactly once however often the nodes involved get new facts', async () => {
    await ingest([...bobSendsBack, aliceReceivesBack]);
    await pollUntil(derivedEvents, (seen) => transfersOf(seen).length >= 2, { what: 'the transfer back' });
    await ingest([unrelated]);
    await reconcilerSettled();
    const transfers = transfersOf(await derivedEvents());
    expect(transfers.map((t) => [t.subject, t.event.outpoint, t.event.from.node_id, t.event.to.node_id, t.event.amount_msat])).toEqual([
      [`${ns.namespace}.derived.${alice}.internal_transfer`, `${toBob}:0`, alice, bob, '700000000'],
      [`${ns.namespace}.derived.${bob}.internal_transfer`, `${toAlice}:0`, bob, alice, '699500000'],
    ]);
    expect((await new DerivedRepository(dataSource).internalTransfers(null)).map((t) => t.outpoint)).toEqual([`${toBob}:0`, `${toAlice}:0`]);
    const reconciler = services.find((s) => s.name === 'reconciler')!;
    const published = reconciler.output().split('\n').filter((line) => line.includes('internal transfer announced')).map((line) => JSON.parse(line).outpoint);
    expect(published).toEqual([`${toBob}:0`, `${toAlice}:0`]);
  });
});
