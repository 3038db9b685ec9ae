import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, pollUntil, SERVICES, startServiceProcess, type RunningService, type ServiceName } from '@bkpr/testing';

const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const deposit = {
  coin_movement: {
    version: 2,
    node_id: node,
    type: 'chain_mvt',
    account_id: 'wallet',
    utxo_txid: '0bfe64d58d8a550275b9b13fb27f6a2c74bbc9f573bde7c25df9b7e8d4f2154a',
    vout: 0,
    credit_msat: 2_000_000_000,
    debit_msat: 0,
    output_msat: 2_000_000_000,
    tags: ['deposit'],
    blockheight: 102,
    timestamp: 1_700_000_000,
    coin_type: 'bcrt',
  },
};

const ns = freshNamespace('bkpr_te2e');
const services = new Map<ServiceName, RunningService>();
const url = (name: ServiceName) => services.get(name)!.url;

async function post(target: string, body: unknown): Promise<{ status: number; json: any }> {
  const res = await fetch(target, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: res.status, json: await res.json() };
}

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  const started = await Promise.all(SERVICES.map(async (name) => startServiceProcess(name, await freePort(), ns.env())));
  for (const service of started) services.set(service.name, service);
}, 120_000);

afterAll(async () => {
  await Promise.all([...services.values()].map((s) => s.stop()));
  await ns.cleanup();
});

describe('the thin path: gateway → JetStream → ledger → PostgreSQL → reporting', () => {
  it('reports every service ready', async () => {
    for (const name of SERVICES) {
      const res = await fetch(`${url(name)}/health/ready`);
      expect(res.status, name).toBe(200);
      const body = (await res.json()) as { info: Record<string, { status: string }> };
      expect(Object.keys(body.info).sort()).toEqual(['consumers', 'database', 'migrations', 'nats']);
    }
  });

  it('accepts a coin_movement once, drops the re-send, and shows the balance in listbalances', async () => {
    const first = await post(`${url('ingest-gateway')}/v1/notifications`, deposit);
    expect(first).toEqual({ status: 202, json: { accepted: 1, duplicates: 0, seq: 1 } });
    const again = await post(`${url('ingest-gateway')}/v1/notifications`, deposit);
    expect(again).toEqual({ status: 202, json: { accepted: 0, duplicates: 1, seq: 1 } });

    const listed = await pollUntil(
      () => post(`${url('reporting')}/v1/rpc/bkpr-listbalances`, {}),
      (r) => r.status === 200 && r.json.accounts.length > 0,
      { what: 'the wallet in listbalances' },
    );
    expect(listed.json).toEqual({
      accounts: [{ account: 'wallet', balances: [{ balance_msat: 2_000_000_000, coin_type: 'bcrt' }], node_id: node }],
      as_of: 1,
    });
  });

  it('answers 400 with the field path for an invalid notification and publishes nothing', async () => {
    const bad = { coin_movement: { ...deposit.coin_movement, utxo_txid: 'xyz', credit_msat: '12 sat' } };
    const res = await post(`${url('ingest-gateway')}/v1/notifications`, [deposit, bad]);
    expect(res.status).toBe(400);
    expect(res.json.issue_count).toBe(2);
    expect(res.json.issues).toEqual([
      { index: 1, path: 'coin_movement.utxo_txid', message: 'expected 64 hex chars' },
      { index: 1, path: 'coin_movement.credit_msat', message: expect.stringContaining('is not an amount') },
    ]);
  });

  it('has the reconciler announce what it derives: the fee of a send and its confirmation', async () => {
    const txid = '37b92f9228cd5962fd2c24dd6d17c2160835e6fcefe1438597b9905198ef6c51';
    const base = { version: 2, node_id: node, type: 'chain_mvt', coin_type: 'bcrt' };
    const notifications = [
      { coin_movement: { ...base, account_id: 'external', originating_account: 'wallet', utxo_txid: txid, vout: 0, credit_msat: 1_000_000_000, debit_msat: 0, output_msat: 1_000_000_000, tags: ['deposit'], blockheight: 0, timestamp: 1_700_001_200 } },
      { coin_movement: { ...base, account_id: 'wallet', utxo_txid: txid, vout: 1, credit_msat: 999_800_000, debit_msat: 0, output_msat: 999_800_000, tags: ['deposit'], blockheight: 104, timestamp: 1_700_001_800 } },
      { coin_movement: { ...base, account_id: 'wallet', txid, utxo_txid: deposit.coin_movement.utxo_txid, vout: 0, credit_msat: 0, debit_msat: 2_000_000_000, output_msat: 2_000_000_000, tags: ['withdrawal'], blockheight: 104, timestamp: 1_700_001_801 } },
    ];
    expect((await post(`${url('ingest-gateway')}/v1/notifications`, notifications)).status).toBe(202);
    const nc = await connect({ servers: ns.natsUrl });
    try {
      const consumer = await jetstream(nc).consumers.get(ns.names.streams.derived);
      const derived = await pollUntil(
        async () => {
          const seen: any[] = [];
          const info = await (await jetstreamManager(nc)).streams.info(ns.names.streams.derived);
          if (info.state.messages === 0) return seen;
          const batch = await consumer.fetch({ max_messages: info.state.messages, expires: 1_000 });
          for await (const m of batch) seen.push(m.json());
          return seen;
        },
        (seen) => seen.some((e) => e.kind === 'external_finalized') && seen.some((e) => e.kind === 'onchain_fee'),
        { what: 'derived onchain_fee and external_finalized events' },
      );
      expect(derived.find((e) => e.kind === 'onchain_fee')).toMatchObject({ v: 1, account: 'wallet', txid, credit_msat: '200000', debit_msat: '0', timestamp: 1_700_001_800 });
      expect(derived.find((e) => e.kind === 'external_finalized')).toMatchObject({ outpoint: `${txid}:0`, origin_account: 'wallet', amount_msat: '1000000000', blockheight: 104 });
    } finally {
      await nc.close();
    }
    const problems = await post(`${url('reporting')}/v1/rpc/bkpr-listproblems`, {});
    expect(problems).toMatchObject({ status: 200, json: { problems: [] } });
  });

  it('answers CLN-style errors for unknown methods', async () => {
    const res = await post(`${url('reporting')}/v1/rpc/bkpr-nosuchthing`, {});
    expect(res).toEqual({ status: 404, json: { code: -32601, message: "Unknown command 'bkpr-nosuchthing'" } });
  });

  it('exposes Prometheus metrics', async () => {
    const text = await (await fetch(`${url('ledger')}/metrics`)).text();
    expect(text).toContain('process_cpu_user_seconds_total');
  });
});
