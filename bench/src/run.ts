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

const SUITES: Record<string, () => Promise<Record<string, unknown>>> = {
  ingest: () => ingestBench({ movements: 20_000, batchSize: 1_000, singlePosts: 2_000, concurrency: 16 }),
};

const args = process.argv.slice(2).filter((a) => !a.startsWith('--'));
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
const report = {
  at: new Date().toISOString(),
  machine: { cpus: cpus().length, cpu_model: cpus()[0]?.model, memory_gib: Math.round(totalmem() / 2 ** 30), node: process.version },
  ...results,
};
const text = JSON.stringify(report, null, 2);
console.log(text);
const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, `bench-${report.at.replace(/[:.]/g, '-')}.json`), `${text}\n`);
