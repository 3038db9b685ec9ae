import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Movement } from '@bkpr/contracts';
import { freshNamespace } from '@bkpr/testing';
import { createDataSource, FactsQuery, LedgerFactsRepository, migrateDatabase } from '../src/index.js';
import type { DataSource } from 'typeorm';

const ns = freshNamespace('bkpr_tdb');
let dataSource: DataSource;
const node = '02' + '11'.repeat(32);
const txA = 'aa'.repeat(32);
const txB = 'bb'.repeat(32);

const chain = (id: string, fields: Partial<Movement>): Movement => ({
  id,
  nodeId: node,
  kind: 'chain',
  account: 'wallet',
  primaryTag: 'deposit',
  extraTags: [],
  creditMsat: 0n,
  debitMsat: 0n,
  outputMsat: null,
  feesMsat: 0n,
  outpoint: `${txA}:0`,
  spendingTxid: null,
  paymentId: null,
  partId: null,
  blockheight: 100,
  timestamp: 1_700_000_000,
  coinType: 'bcrt',
  originAccount: null,
  peerId: null,
  outputCount: null,
  description: null,
  balanceMsat: null,
  ...fields,
});

let nextSeq = 1n;
const seq = (movements: Movement[]) => movements.map((movement) => ({ movement, streamSeq: nextSeq++ }));

beforeAll(async () => {
  expect(await migrateDatabase(ns.databaseUrl)).toEqual(['InitialLedger1764288000000', 'BalanceSnapshots1764291600000', 'ArrivalOrderAndDescriptions1764295200000', 'ReconcilerDerived1764298800000', 'InternalTransfers1764302400000', 'DropConsumerWatermarks1764306000000', 'DropUnreadFactIndexes1764309600000', 'CheaperFactInserts1764313200000']);
  expect(await migrateDatabase(ns.databaseUrl)).toEqual([]); // a second run is a no-op
  dataSource = createDataSource(ns.databaseUrl, 'persistence-test');
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await ns.cleanup();
});

describe('LedgerFactsRepository', () => {
  it('stores each fact once: by movement id, and by (account, outpoint, spending txid, tag)', async () => {
    const facts = new LedgerFactsRepository(dataSource);
    const deposit = chain('m1', { creditMsat: 18_446_744_073_709_551_615n, outputMsat: 18_446_744_073_709_551_615n });
    const first = await facts.record(seq([deposit]));
    expect([...first.storedIds]).toEqual(['m1']);

    const replay = await facts.record(seq([deposit]));
    expect(replay.storedIds.size).toBe(0);

    // The same output re-sent with another amount is the same fact (CLN keeps the first).
    const resent = await facts.record(seq([chain('m2', { creditMsat: 5n })]));
    expect(resent.storedIds.size).toBe(0);

    // Its spend is a new fact on the same outpoint.
    const spend = chain('m3', { primaryTag: 'withdrawal', debitMsat: 1_000n, spendingTxid: txB });
    expect([...(await facts.record(seq([spend, spend]))).storedIds]).toEqual(['m3']);

    const rows: { n: string }[] = await dataSource.query('SELECT count(*)::text AS n FROM ledger.chain_events');
    expect(rows[0]!.n).toBe('2');
  });

  it('hands a node\'s facts back in arrival order', async () => {
    const back = await new FactsQuery(dataSource).movementsOf(node);
    expect(back.map((b) => [b.movement.id, b.movement.kind, b.streamSeq])).toEqual([
      ['m1', 'chain', 1n],
      ['m3', 'chain', 4n],
    ]);
    expect(back[0]!.movement.creditMsat).toBe(18_446_744_073_709_551_615n);
    const query = new FactsQuery(dataSource);
    expect((await query.factsOf(node, 0n, null)).map((f) => f.seq)).toEqual([1n, 4n]);
    expect((await query.factsOf(node, 0n, 3n)).map((f) => f.seq)).toEqual([1n]);
    expect((await query.factsOf(node, 1n, 4n)).map((f) => f.seq)).toEqual([4n]);
    expect(await query.factsOf(node, 4n, null)).toEqual([]);
  });

  it('stores every fact with its account (no foreign key checks it since CheaperFactInserts: the repository does)', async () => {
    const facts = new LedgerFactsRepository(dataSource);
    const channel = (id: string, account: string): Movement => ({ ...chain(id, { kind: 'channel', account, primaryTag: 'invoice', creditMsat: 7n }), outpoint: null });
    const peer = '03' + '22'.repeat(32);
    await facts.record(seq([channel('c1', `${peer.slice(0, 8)}x1`), chain('m4', { account: 'new-wallet', outpoint: `${txB}:1` }), channel('c2', `${peer.slice(0, 8)}x1`)]));
    const orphans: { n: string }[] = await dataSource.query(`
      SELECT count(*)::text AS n FROM (
        SELECT account_id FROM ledger.chain_events UNION ALL SELECT account_id FROM ledger.channel_events UNION ALL SELECT account_id FROM ledger.balance_snapshots
      ) f LEFT JOIN ledger.accounts a ON a.id = f.account_id WHERE a.id IS NULL`);
    expect(orphans[0]!.n).toBe('0');
    const accounts: { name: string }[] = await dataSource.query(`SELECT name FROM ledger.accounts WHERE node_id = $1 ORDER BY name`, [node]);
    expect(accounts.map((a) => a.name)).toEqual([`${peer.slice(0, 8)}x1`, 'new-wallet', 'wallet']);
  });

  it('stores any text as it came: quotes, backslashes, braces, commas, NULL, control characters, surrogates', async () => {
    const texts = ['"quoted"', 'back\\slash\\', 'a\\nb', '{braces}, and commas', 'NULL', 'null', '', ' spaced ', 'line\nbreak\ttab\u0001', 'émoji 🎉', 'lone \ud800 surrogate'];
    const other = '03' + '22'.repeat(32);
    const movements = texts.map((text, i) => chain(`t${i}`, {
      nodeId: other, account: `acct ${text.replace('\ud800', '')}`, outpoint: `${txA}:${i}`, description: text, paymentId: text, originAccount: text, extraTags: i % 2 ? [] : ['x'],
    }));
    const facts = new LedgerFactsRepository(dataSource);
    // One batch each (their arrays are written as JSON unless they hold a control character or a surrogate), then all again.
    for (const m of movements) expect((await facts.record(seq([m]))).storedIds.size).toBe(1);
    expect((await facts.record(seq(movements))).storedIds.size).toBe(0);
    const back = (await new FactsQuery(dataSource).movementsOf(other)).map((b) => b.movement);
    expect(back.map((m) => [m.account, m.description, m.paymentId, m.originAccount])).toEqual(
      movements.map((m) => [m.account, m.description, m.paymentId, m.originAccount].map((t) => (t === null ? null : t.replace('\ud800', '\ufffd')))),
    );
  });

});
