import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { migrateDatabase } from '@bkpr/persistence';
import { freePort, freshNamespace, SERVICES, startServiceProcess, type RunningService } from '@bkpr/testing';

const run = promisify(execFile);
const cli = join(import.meta.dirname, '..', 'dist', 'main.js');
const node = '0266e4598d1d3c415f572a8488830b60f7e744ed9235eb0b1ba93283b315c03518';
const line = (vout: number) =>
  JSON.stringify({
    coin_movement: { version: 2, node_id: node, type: 'chain_mvt', account_id: 'wallet', utxo_txid: 'cd'.repeat(32), vout, credit_msat: 1_000, debit_msat: 0, output_msat: 1_000, tags: ['deposit'], blockheight: 5, timestamp: 1_700_000_000 + vout, coin_type: 'bcrt' },
  });

const ns = freshNamespace('bkpr_tcli');
const services = new Map<string, RunningService>();
const dir = mkdtempSync(join(tmpdir(), 'bkpr-cli-'));
const bkpr = (...args: string[]) => run(process.execPath, [cli, '--url', services.get('reporting')!.url, '--ingest-url', services.get('ingest-gateway')!.url, ...args]);

beforeAll(async () => {
  await migrateDatabase(ns.databaseUrl);
  for (const s of await Promise.all(SERVICES.map(async (name) => startServiceProcess(name, await freePort(), ns.env())))) services.set(s.name, s);
}, 60_000);

afterAll(async () => {
  await Promise.all([...services.values()].map((s) => s.stop()));
  await ns.cleanup();
});

describe('bkpr CLI', () => {
  it('ingests an NDJSON file with a summary, and resumes after what was acknowledged', async () => {
    const file = join(dir, 'history.ndjson');
    writeFileSync(file, `${[0, 1, 2].map(line).join('\n')}\n`);
    expect((await bkpr('--json', 'ingest', file)).stdout.trim()).toBe('{"accepted":3,"duplicates":0,"rejected":0,"skipped":0}');
    writeFileSync(file, `${[0, 1, 2, 3].map(line).join('\n')}\n`);
    expect(JSON.parse((await bkpr('--json', 'ingest', file)).stdout)).toEqual({ accepted: 1, duplicates: 0, rejected: 0, skipped: 3 });
  });

  it('queries like lightning-cli, as a table or JSON', async () => {
    const table = (await bkpr('listbalances')).stdout;
    expect(table).toContain('wallet');
    const json = JSON.parse((await bkpr('--json', 'listincome', 'consolidate_fees=false')).stdout);
    expect(json.income_events).toHaveLength(4);
  });

  it('writes dumpincomecsv to a file', async () => {
    const out = join(dir, 'income.csv');
    await bkpr('dumpincomecsv', 'koinly', '-o', out);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toBe('Date,Sent Amount,Sent Currency,Received Amount,Received Currency,Fee Amount,Fee Currency,Label,Description,TxHash');
  });
});
