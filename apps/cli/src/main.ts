#!/usr/bin/env node
/**
 * bkpr — `lightning-cli bkpr-*` for the whole organization:
 *   bkpr listincome consolidate_fees=false
 *   bkpr dumpincomecsv koinly -o income.csv
 *   bkpr ingest history.ndjson
 */
import { writeFileSync } from 'node:fs';
import { Command } from 'commander';
import { ingestFile } from './ingest.js';
import { cliParams } from './params.js';
import { renderForPeople } from './table.js';

const program = new Command()
  .name('bkpr')
  .description('Query and feed lightning-bookkeeper, like lightning-cli bkpr-* across every node')
  .option('--url <url>', 'reporting service', process.env['BKPR_URL'] ?? 'http://127.0.0.1:3001')
  .option('--ingest-url <url>', 'ingest gateway', process.env['BKPR_INGEST_URL'] ?? 'http://127.0.0.1:3000')
  .option('--token <token>', 'bearer token', process.env['BKPR_TOKEN'])
  .option('--node <node_id>', 'one node (default: the whole organization)')
  .option('--json', 'JSON output for scripts');

program
  .command('ingest')
  .argument('<file>', 'NDJSON notifications, or - for stdin')
  .description('send notifications to the gateway (resumable)')
  .action(async (file: string) => {
    const o = program.opts();
    const summary = await ingestFile(file, { url: o['ingestUrl'], token: o['token'], node: o['node'] });
    console.log(o['json'] ? JSON.stringify(summary) : `accepted ${summary.accepted}, duplicates ${summary.duplicates}, rejected ${summary.rejected}, skipped (already sent) ${summary.skipped}`);
    if (summary.rejected > 0) process.exitCode = 1;
  });

program
  .argument('[command]', 'a bkpr command, e.g. listbalances, listincome, dumpincomecsv')
  .argument('[params...]', 'key=value or positional params, as lightning-cli takes them')
  .option('-o, --output <file>', 'dumpincomecsv: write the CSV here')
  .action(async (command: string | undefined, args: string[]) => {
    if (!command) return program.help();
    const o = program.opts();
    const method = command.replace(/^bkpr-/, '');
    const params = cliParams(args);
    const named = Array.isArray(params) ? params : { ...params };
    const body = o['node'] && !Array.isArray(named) ? { ...named, node_id: o['node'] } : named;
    const headers = { 'content-type': 'application/json', ...(o['token'] ? { authorization: `Bearer ${o['token']}` } : {}) };
    const res = await fetch(new URL(`/v1/rpc/bkpr-${method}`, o['url']), { method: 'POST', headers, body: JSON.stringify(body) });
    const result = (await res.json()) as Record<string, unknown>;
    if (res.status !== 200) {
      console.error(JSON.stringify(result, null, 2));
      process.exitCode = 1;
      return;
    }
    if (method === 'dumpincomecsv') {
      const out = (o['output'] as string | undefined) ?? (result['csv_file'] as string);
      const query = new URLSearchParams({ format: String(result['csv_format']) });
      const source = Array.isArray(params) ? { consolidate_fees: params[2], start_time: params[3], end_time: params[4] } : params;
      for (const key of ['consolidate_fees', 'start_time', 'end_time']) if (source[key as keyof typeof source] !== undefined) query.set(key, String(source[key as keyof typeof source]));
      if (o['node']) query.set('node_id', o['node']);
      const csv = await fetch(new URL(`/v1/income.csv?${query}`, o['url']), { headers });
      writeFileSync(out, await csv.text());
      result['csv_file'] = out;
    }
    console.log(o['json'] ? JSON.stringify(result, null, 2) : renderForPeople(result));
  });

program.parseAsync().catch((error: unknown) => {
  console.error(`bkpr: ${(error as Error).message}`);
  process.exit(1);
});
