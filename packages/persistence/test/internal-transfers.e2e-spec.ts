import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InternalTransfer } from '@bkpr/domain';
import { freshNamespace } from '@bkpr/testing';
import type { DataSource } from 'typeorm';
import { createDataSource, DerivedRepository, migrateDatabase } from '../src/index.js';

const ns = freshNamespace('bkpr_titr');
let dataSource: DataSource;
const nodeA = '02' + 'aa'.repeat(32);
const nodeB = '03' + 'bb'.repeat(32);

const transfer = (txid: string, fields: Partial<InternalTransfer> = {}): InternalTransfer => ({
  outpoint: `${txid}:0`, txid, amountMsat: 18_446_744_073_709_551_615n, currency: 'bcrt',
  from: { nodeId: nodeA, account: 'wallet' }, to: { nodeId: nodeB, account: 'wallet' }, blockheight: 110, timestamp: 1_700_000_000, ...fields,
});

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  dataSource = createDataSource(ns.databaseUrl, 'persistence-test');
  await dataSource.initialize();
});

afterAll(async () => {
  await dataSource?.destroy();
  await ns.cleanup();
});

describe('DerivedRepository internal transfers', () => {
  it('stores each transfer once by outpoint and returns only the new ones', async () => {
    const derived = new DerivedRepository(dataSource);
    const first = transfer('aa'.repeat(32));
    expect(await derived.storeInternalTransfers([first])).toEqual([first]);
    // Seen again from the receiving node's side (or by another replica): nothing new.
    const second = transfer('bb'.repeat(32), { blockheight: 111, from: { nodeId: nodeB, account: 'wallet' }, to: { nodeId: 'cold-storage', account: 'cold' } });
    expect(await derived.storeInternalTransfers([first, second])).toEqual([second]);
    expect(await derived.storeInternalTransfers([first, second])).toEqual([]);
    expect(await derived.storeInternalTransfers([])).toEqual([]);
  });

  it('reads them back whole, all or those with a side on one node', async () => {
    const derived = new DerivedRepository(dataSource);
    expect((await derived.internalTransfers(null)).map((t) => t.outpoint)).toEqual([`${'aa'.repeat(32)}:0`, `${'bb'.repeat(32)}:0`]);
    expect(await derived.internalTransfers(nodeA)).toEqual([transfer('aa'.repeat(32))]);
    expect((await derived.internalTransfers('cold-storage')).map((t) => t.to)).toEqual([{ nodeId: 'cold-storage', account: 'cold' }]);
  });
});
