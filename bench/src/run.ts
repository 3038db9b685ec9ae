#!/usr/bin/env node
/**
 * `npm run bench [-- <suite>...] [--size 1m]`: runs the named suites (default: all) on this
 * machine and prints one JSON document; a copy goes to bench/results/. Figures are only
 * comparable within one run (the machine is shared and noisy): read the ratios.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ingestBench } from './ingest.bench.js';
import { e2eBench } from './e2e.bench.js';
import { ledgerBench } from './ledger.bench.js';
import { reportingBench } from './reporting.bench.js';

const sizeArg = process.argv.indexOf('--size');
const size = sizeArg > 0 ? process.argv[sizeArg + 1] : undefined;
const EVENTS: Record<string, number> = { '10k': 10_000, '100k': 100_000, '1m': 1_000_000 };
const events = EVENTS[size ?? '100k'];
if (events === undefined) {
  console.error(`--size: one of ${Object.keys(EVENTS).join(', ')}`);
  process.exit(2);
}

const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  // Movements per timed phase: 20,000 unless --size says (the figures compared since session 1).
  ingest: () => ingestBench({ movements: size === undefined ? 20_000 : events, batchSize: 1_000, batchConcurrency: 2, singlePosts: 2_000, concurrency: 16 }),
  ledger: () => ledgerBench({ events, batchSize: 1_000 }),
  reporting: () => reportingBench({ events, nodes: 4, channelsPerNode: 20, listbalancesCalls: 200 }),
  e2e: () => e2eBench({ events, nodes: 2, batchSize: 1_000, replicas: 1 }),
  'e2e-replicas': async () => {
    // The same history with 2 ledgers and 2 reconcilers: the answers must be identical.
    const one = await e2eBench({ events, nodes: 2, batchSize: 1_000, replicas: 1 });
    const two = await e2eBench({ events, nodes: 2, batchSize: 1_000, replicas: 2 });
    return { suite: 'e2e-replicas', one_replica: one, two_replicas: two, answers_identical: one['answers_sha256'] === two['answers_sha256'] };
  },
};

const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith('--') && all[i - 1] !== '--size');
const unknown = args.filter((a) => !(a in SUITES));
if (unknown.length) {
  console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${Object.keys(SUITES).join(', ')}`);
  process.exit(2);
}
const selected = args.length ? args : Object.keys(SUITES);
const results: Record<string, unknown> = {};
for (const name of selected) {
  process.stderr.write(`running ${name}…\n`);
  results[name] = await SUITES[name]!();
}
const e2e = results['e2e'] as { e2e_to_publish_ratio?: number } | undefined;
const report = {
  at: new Date().toISOString(),
  ...(e2e ? { e2e_to_publish_ratio: e2e.e2e_to_publish_ratio } : {}),
  machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
  ...results,
};
const text = JSON.stringify(report, null, 2);
console.log(text);
process.stderr.write(`\n${summaryTable(results)}\n`);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `bench-${report.at.replace(/[:.]/g, '-')}.json`), `${text}\n`);

/** The figures for people, on stderr (stdout stays pure JSON). */
function summaryTable(all: Record<string, unknown>): string {
  const lines: string[] = [];
  const walk = (prefix: string, value: unknown) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value)) walk(prefix ? `${prefix}.${k}` : k, v);
    } else if (typeof value === 'number') lines.push(`${prefix.padEnd(58)} ${value}`);
  };
  walk('', all);
  return lines.join('\n');
}
